// CPU used by the load generator (this process) and by the server process over a measurement,
// in percent of one core: on a 2-core machine it shows which side was the bottleneck. The
// server's CPU time per operation (user and system) is the figure least moved by the machine's
// other load, so small-object cells report it too.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const CLOCK_TICKS = 100; // USER_HZ, 100 on every Linux this runs on

interface ProcessCpu {
  user: number;
  system: number;
}

/** Seconds of user and system CPU the process has used, NaN if it cannot be read. */
function serverSeconds(pid: number): ProcessCpu {
  try {
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { user: Number(fields[11]) / CLOCK_TICKS, system: Number(fields[12]) / CLOCK_TICKS };
  } catch {
    return { user: Number.NaN, system: Number.NaN };
  }
}

export interface CpuUsed {
  /** "client % / server %" of one core. */
  summary: string;
  /** The server's CPU milliseconds per operation, "total (user + system)", for `ops` operations. */
  perOp(ops: number): string;
}

/** Starts measuring; the returned function gives what was used since the start. */
export function cpuMeter(pid: number): () => CpuUsed {
  const wall0 = performance.now();
  const client0 = process.cpuUsage();
  const server0 = serverSeconds(pid);
  return () => {
    const wall = (performance.now() - wall0) / 1000;
    const client = process.cpuUsage(client0);
    const clientPct = ((client.user + client.system) / 1e6 / wall) * 100;
    const server1 = serverSeconds(pid);
    const user = server1.user - server0.user;
    const system = server1.system - server0.system;
    const serverPct = ((user + system) / wall) * 100;
    const ms = (seconds: number, ops: number) => ((seconds * 1000) / ops).toFixed(2);
    return {
      summary: `${clientPct.toFixed(0)} / ${Number.isNaN(serverPct) ? '—' : serverPct.toFixed(0)}`,
      perOp: (ops) => (Number.isNaN(user) || ops === 0 ? '—' : `${ms(user + system, ops)} (${ms(user, ops)} + ${ms(system, ops)})`),
    };
  };
}
