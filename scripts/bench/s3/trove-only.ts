// The two measurements the issue asks of Trove alone: (a) the server's resident memory during a
// 5 GiB PUT and GET, streamed from a generator and checked by a streaming SHA-256; (b) small-GET
// latency while a 1 GiB PUT runs (does hashing a large body stall the event loop?) against the
// same GETs on an idle server.
import { createHash } from 'node:crypto';
import { formatSize } from './body.js';
import { keepAliveAgent, ok } from './client.js';
import { getStream, putStream } from './large.js';
import { closedLoop, inParallel, type LoadResult } from './load.js';
import { settleDisk } from './processes.js';
import type { TroveOnly } from './report.js';
import { readMemory, resetPeak, sampleMemory } from './rss.js';
import type { Subject } from './servers.js';
import { SMALL } from './small.js';

const mb = (bytes: number, ms: number) => `${(bytes / 1e6 / (ms / 1000)).toFixed(1)} MB/s`;
const mib = (v: number) => `${v.toFixed(0)} MiB`;
const lat = (r: LoadResult) => `p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms (${r.ops} GETs${r.errors ? `, ${r.errors} errors` : ''})`;

export async function memoryDuringHugeTransfer(subject: Subject, bucket: string, size: number): Promise<TroveOnly> {
  const lines: string[] = [];
  const label = formatSize(size);
  lines.push(`RSS at rest before the ${label} PUT | ${mib(readMemory(subject.pid).rssMiB)}`);
  settleDisk();
  const sent = createHash('sha256');
  const perPhase = resetPeak(subject.pid);
  let sampler = sampleMemory(subject.pid);
  const putMs = await putStream(subject.target, bucket, 'huge/one', size, 7, (c) => sent.update(c));
  const put = sampler.stop();
  lines.push(`${label} PUT (one stream) | ${mb(size, putMs)}; peak VmRSS ${mib(put.rssMiB)}; VmHWM ${mib(put.hwmMiB)}${perPhase ? '' : ' (since start)'}; target < 300 MiB: ${Math.max(put.rssMiB, put.hwmMiB) < 300 ? 'met' : 'not met'}`);
  const got = createHash('sha256');
  resetPeak(subject.pid);
  sampler = sampleMemory(subject.pid);
  const getMs = await getStream(subject.target, bucket, 'huge/one', size, (c) => got.update(c));
  const get = sampler.stop();
  const same = got.digest('hex') === sent.digest('hex');
  lines.push(`${label} GET (one stream) | ${mb(size, getMs)}; peak VmRSS ${mib(get.rssMiB)}; VmHWM ${mib(get.hwmMiB)}${perPhase ? '' : ' (since start)'}; target < 300 MiB: ${Math.max(get.rssMiB, get.hwmMiB) < 300 ? 'met' : 'not met'}; SHA-256 of the bytes read ${same ? 'matches' : 'DIFFERS FROM'} what was sent`);
  const agent = keepAliveAgent(1);
  await ok(subject.target, agent, { method: 'DELETE', bucket, key: 'huge/one' }, 'DELETE').catch(() => {});
  agent.destroy();
  for (const l of lines) console.error(`  ${l.replace(' | ', ': ')}`);
  return { server: subject.name, lines };
}

export async function stallCheck(subject: Subject, bucket: string, size: number, conns: number, idleSeconds: number): Promise<TroveOnly> {
  const agent = keepAliveAgent(conns);
  const keys = Array.from({ length: 64 }, (_, i) => `stall/${i}`);
  const body = Buffer.alloc(SMALL, 7);
  await inParallel(conns, keys.length, (i) => ok(subject.target, agent, { method: 'PUT', bucket, key: keys[i]!, body }, 'PUT').then(() => {}));
  const get = async () => {
    const reply = await ok(subject.target, agent, { method: 'GET', bucket, key: keys[Math.floor(Math.random() * keys.length)]! }, 'GET');
    if (reply.bytes !== SMALL) throw new Error(`GET returned ${reply.bytes} bytes`);
  };
  try {
    await closedLoop(conns, { seconds: Math.min(1, idleSeconds) }, get); // warm-up
    const idle = await closedLoop(conns, { seconds: idleSeconds }, get);
    settleDisk();
    let putMs = 0;
    const put = putStream(subject.target, bucket, 'stall/large', size, 9).then((ms) => (putMs = ms));
    const busy = await closedLoop(conns, { until: put }, get);
    await put;
    const label = formatSize(size);
    const lines = [
      `small GETs on an idle server (${conns} conns, ${idleSeconds} s) | ${lat(idle)}`,
      `small GETs while a ${label} PUT runs (${conns} conns) | ${lat(busy)}; the PUT meanwhile: ${mb(size, putMs)}`,
      `p99 during the PUT / p99 idle | ${(busy.p99 / idle.p99).toFixed(2)}×`,
    ];
    await ok(subject.target, agent, { method: 'DELETE', bucket, key: 'stall/large' }, 'DELETE').catch(() => {});
    for (const l of lines) console.error(`  ${l.replace(' | ', ': ')}`);
    return { server: subject.name, lines };
  } finally {
    agent.destroy();
  }
}
