// Resident memory of a server process, sampled from /proc/<pid>/status: the highest VmRSS seen
// while sampling, and VmHWM (the kernel's own peak since the process started).
import { readFileSync, writeFileSync } from 'node:fs';

export interface Memory {
  rssMiB: number;
  hwmMiB: number;
}

export function readMemory(pid: number): Memory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
  return { rssMiB: kib('VmRSS') / 1024, hwmMiB: kib('VmHWM') / 1024 };
}

/** Resets VmHWM to the current RSS (clear_refs 5, Linux ≥ 4.0), so a peak is per phase; false if refused. */
export function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** Samples until stop() is called, which returns the peak VmRSS seen and VmHWM at the end. */
export function sampleMemory(pid: number, everyMs = 50): { stop: () => Memory } {
  let peak = readMemory(pid).rssMiB;
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, readMemory(pid).rssMiB);
    } catch {
      // the process ended; the caller sees its failure elsewhere
    }
  }, everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      const last = readMemory(pid);
      return { rssMiB: Math.max(peak, last.rssMiB), hwmMiB: last.hwmMiB };
    },
  };
}
