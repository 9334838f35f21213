// CPU used by the load generator (this process) and by the server process over a measurement,
// in percent of one core: on a 2-core machine it shows which side was the bottleneck.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const CLOCK_TICKS = 100; // USER_HZ, 100 on every Linux this runs on

function serverSeconds(pid: number): number {
  try {
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return Number.NaN;
  }
}

/** Starts measuring; the returned function gives "client % / server %" since the start. */
export function cpuMeter(pid: number): () => string {
  const wall0 = performance.now();
  const client0 = process.cpuUsage();
  const server0 = serverSeconds(pid);
  return () => {
    const wall = (performance.now() - wall0) / 1000;
    const client = process.cpuUsage(client0);
    const clientPct = ((client.user + client.system) / 1e6 / wall) * 100;
    const serverPct = ((serverSeconds(pid) - server0) / wall) * 100;
    return `${clientPct.toFixed(0)} / ${Number.isNaN(serverPct) ? '—' : serverPct.toFixed(0)}`;
  };
}
