// Small objects (4 KiB): PUT, then GET and HEAD of the keys just written (--small-ops picks
// which), each for a fixed time at each connection count, over keep-alive connections, after a
// short unmeasured warm-up.
import { randomBytes } from 'node:crypto';
import { keepAliveAgent, ok, type Target } from './client.js';
import { cpuMeter } from './cpu.js';
import { closedLoop, type LoadResult } from './load.js';
import { failedRow, type Row } from './report.js';
import type { Subject } from './servers.js';

export const SMALL = 4096;
const BODY = randomBytes(SMALL);

export interface SmallOptions {
  conns: number[];
  ops: readonly ('put' | 'get' | 'head')[];
  seconds: number;
  warmupSeconds: number;
}

async function cell(subject: Subject, workload: string, conns: number, options: SmallOptions,
  op: (target: Target, agent: ReturnType<typeof keepAliveAgent>, caller: number, i: number) => Promise<void>): Promise<Row> {
  const agent = keepAliveAgent(conns);
  try {
    const run = (seconds: number) => closedLoop(conns, { seconds }, (c, i) => op(subject.target, agent, c, i));
    if (options.warmupSeconds > 0) await run(options.warmupSeconds);
    const cpu = cpuMeter(subject.pid);
    const r: LoadResult = await run(options.seconds);
    const used = cpu();
    const cpuUsed = used.summary;
    if (r.errors && r.ops === 0) throw new Error(r.firstError ?? 'every operation failed');
    console.error(`  ${workload} @${conns}: ${r.rate.toFixed(0)} ops/s p50 ${r.p50.toFixed(2)} p99 ${r.p99.toFixed(2)} ms, CPU % client / server ${cpuUsed}, server CPU ms/op ${used.perOp(r.ops)}${r.errors ? ` (${r.errors} errors)` : ''}`);
    const note = r.errors ? `${r.errors} errors, first: ${r.firstError!.slice(0, 120)}` : undefined;
    return { server: subject.name, kind: subject.kind, workload, conns, value: r.rate, unit: 'ops/s', p50: r.p50, p99: r.p99, cpu: cpuUsed, cpuPerOp: used.perOp(r.ops), ...(note ? { note } : {}) };
  } catch (err) {
    console.error(`  ${workload} @${conns}: failed: ${(err as Error).message}`);
    return failedRow(subject, workload, conns, 'ops/s', err);
  } finally {
    agent.destroy();
  }
}

export async function smallObjects(subject: Subject, bucket: string, options: SmallOptions): Promise<Row[]> {
  const rows: Row[] = [];
  for (const conns of options.conns) {
    const written: string[] = [];
    let next = 0; // every PUT, warm-up included, writes a new key
    rows.push(await cell(subject, 'PUT 4 KiB', conns, options, async (target, agent) => {
      const key = `small/c${conns}/${String(next++).padStart(7, '0')}`;
      await ok(target, agent, { method: 'PUT', bucket, key, body: BODY, headers: { 'content-type': 'application/octet-stream' } }, 'PUT');
      written.push(key);
    }));
    if (written.length === 0) continue;
    const pick = () => written[Math.floor(Math.random() * written.length)]!;
    if (options.ops.includes('get')) rows.push(await cell(subject, 'GET 4 KiB', conns, options, async (target, agent) => {
      const reply = await ok(target, agent, { method: 'GET', bucket, key: pick() }, 'GET');
      if (reply.bytes !== SMALL) throw new Error(`GET returned ${reply.bytes} bytes, not ${SMALL}`);
    }));
    if (options.ops.includes('head')) rows.push(await cell(subject, 'HEAD 4 KiB', conns, options, async (target, agent) => {
      const reply = await ok(target, agent, { method: 'HEAD', bucket, key: pick() }, 'HEAD');
      if (reply.headers['content-length'] !== String(SMALL)) throw new Error(`HEAD said content-length ${reply.headers['content-length']}`);
    }));
  }
  return rows;
}
