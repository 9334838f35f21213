// Closed-loop load: `conns` callers, each issuing one operation after another until the deadline
// (or until `until` settles), every operation's latency recorded.
import { performance } from 'node:perf_hooks';

export interface LoadResult {
  ops: number;
  seconds: number;
  rate: number;
  p50: number;
  p99: number;
  errors: number;
  firstError?: string;
}

/** Stop early when a server fails this many operations: the cell is reported as failed. */
const MAX_ERRORS = 20;

export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

export async function closedLoop(
  conns: number,
  limit: { seconds: number } | { until: Promise<unknown> },
  op: (caller: number, i: number) => Promise<void>,
): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let done = false;
  if ('until' in limit) void limit.until.finally(() => (done = true));
  const deadline = 'seconds' in limit ? performance.now() + limit.seconds * 1000 : Infinity;
  const start = performance.now();
  const caller = async (c: number): Promise<void> => {
    for (let i = 0; !done && performance.now() < deadline && errors < MAX_ERRORS; i++) {
      const t0 = performance.now();
      try {
        await op(c, i);
        latencies.push(performance.now() - t0);
      } catch (err) {
        errors++;
        firstError ??= (err as Error).message;
      }
    }
  };
  await Promise.all(Array.from({ length: conns }, (_, c) => caller(c)));
  const seconds = (performance.now() - start) / 1000;
  const sorted = Float64Array.from(latencies).sort();
  return {
    ops: latencies.length, seconds, rate: latencies.length / seconds,
    p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), errors, ...(firstError ? { firstError } : {}),
  };
}

/** Runs fn(0) … fn(count - 1), `width` at a time; the first failure stops the rest and is thrown. */
export async function inParallel(width: number, count: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const lane = async () => {
    while (!failed && next < count) {
      const i = next++;
      try {
        await fn(i);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, count) }, lane));
}
