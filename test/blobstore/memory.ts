// Peak live memory while a function runs: sampled after a full GC, so garbage that V8 has not
// collected yet does not count (without it the peak is noisy and tests flake).
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

function liveBytes(): number {
  collect();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

/** Growth of live memory (bytes) over the baseline at its highest sampled point. */
export async function peakLiveGrowth<T>(run: () => Promise<T>, everyMs = 50): Promise<{ result: T; growth: number }> {
  const base = liveBytes();
  let peak = base;
  const timer = setInterval(() => {
    peak = Math.max(peak, liveBytes());
  }, everyMs);
  try {
    const result = await run();
    return { result, growth: peak - base };
  } finally {
    clearInterval(timer);
  }
}
