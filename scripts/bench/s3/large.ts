// Large objects: one stream PUT and GET of one object, and a multipart upload with parts sent
// in parallel. The bare server has no multipart: it writes the same parts as separate objects
// with the same parallelism (the ceiling of the bytes written), which the row says.
import { performance } from 'node:perf_hooks';
import { generatedBody, formatSize } from './body.js';
import { keepAliveAgent, ok, type Target } from './client.js';
import { cpuMeter } from './cpu.js';
import { inParallel } from './load.js';
import { settleDisk } from './processes.js';
import { failedRow, type Row } from './report.js';
import type { Subject } from './servers.js';

export interface LargeOptions {
  size: number;
  partSize: number;
  parallelParts: number;
}

const mbps = (bytes: number, ms: number) => bytes / 1e6 / (ms / 1000);

export async function putStream(target: Target, bucket: string, key: string, size: number, seed: number, onChunk?: (c: Buffer) => void): Promise<number> {
  const agent = keepAliveAgent(1);
  const t0 = performance.now();
  try {
    await ok(target, agent, { method: 'PUT', bucket, key, body: generatedBody(size, seed, onChunk), headers: { 'content-length': String(size), 'content-type': 'application/octet-stream' } }, 'PUT');
    return performance.now() - t0;
  } finally {
    agent.destroy();
  }
}

export async function getStream(target: Target, bucket: string, key: string, size: number, onChunk?: (c: Buffer) => void): Promise<number> {
  const agent = keepAliveAgent(1);
  const t0 = performance.now();
  try {
    const reply = await ok(target, agent, { method: 'GET', bucket, key, read: onChunk ?? (() => {}) }, 'GET');
    if (reply.bytes !== size) throw new Error(`GET returned ${reply.bytes} bytes, not ${size}`);
    return performance.now() - t0;
  } finally {
    agent.destroy();
  }
}

async function multipart(subject: Subject, bucket: string, key: string, options: LargeOptions): Promise<number> {
  const parts = Math.ceil(options.size / options.partSize);
  const partBytes = (n: number) => Math.min(options.partSize, options.size - n * options.partSize);
  const agent = keepAliveAgent(options.parallelParts);
  const t = subject.target;
  const t0 = performance.now();
  try {
    if (subject.kind === 'bare') {
      await inParallel(options.parallelParts, parts, async (n) => {
        await ok(t, agent, { method: 'PUT', bucket, key: `${key}.part${n + 1}`, body: generatedBody(partBytes(n), n), headers: { 'content-length': String(partBytes(n)) } }, 'PUT part');
      });
      return performance.now() - t0;
    }
    const created = await ok(t, agent, { method: 'POST', bucket, key, query: [['uploads', '']], read: 'text' }, 'CreateMultipartUpload');
    const uploadId = /<UploadId>([^<]+)<\/UploadId>/.exec(created.text)?.[1];
    if (!uploadId) throw new Error(`no UploadId in ${created.text.slice(0, 200)}`);
    const etags: string[] = [];
    await inParallel(options.parallelParts, parts, async (n) => {
      const reply = await ok(t, agent, {
        method: 'PUT', bucket, key, query: [['partNumber', String(n + 1)], ['uploadId', uploadId]],
        body: generatedBody(partBytes(n), n), headers: { 'content-length': String(partBytes(n)) },
      }, `UploadPart ${n + 1}`);
      etags[n] = String(reply.headers.etag);
    });
    const xml = `<CompleteMultipartUpload>${etags.map((e, n) => `<Part><PartNumber>${n + 1}</PartNumber><ETag>${e}</ETag></Part>`).join('')}</CompleteMultipartUpload>`;
    const done = await ok(t, agent, { method: 'POST', bucket, key, query: [['uploadId', uploadId]], body: xml, read: 'text' }, 'CompleteMultipartUpload');
    // S3 may answer 200 with an error document once the body has started.
    if (done.text.includes('<Error>')) throw new Error(`CompleteMultipartUpload: ${done.text.slice(0, 200)}`);
    return performance.now() - t0;
  } finally {
    agent.destroy();
  }
}

async function remove(subject: Subject, bucket: string, keys: string[]): Promise<void> {
  const agent = keepAliveAgent(1);
  for (const key of keys) await ok(subject.target, agent, { method: 'DELETE', bucket, key }, 'DELETE').catch(() => {});
  agent.destroy();
}

async function measured(subject: Subject, workload: string, conns: number, run: () => Promise<number>, bytes: number, note?: string): Promise<Row> {
  try {
    settleDisk();
    const cpu = cpuMeter(subject.pid);
    const rate = mbps(bytes, await run());
    const cpuUsed = cpu().summary;
    console.error(`  ${workload}: ${rate.toFixed(1)} MB/s (CPU % client / server ${cpuUsed})`);
    return { server: subject.name, kind: subject.kind, workload, conns, value: rate, unit: 'MB/s', cpu: cpuUsed, ...(note ? { note } : {}) };
  } catch (err) {
    console.error(`  ${workload}: failed: ${(err as Error).message}`);
    return failedRow(subject, workload, conns, 'MB/s', err);
  }
}

export async function largeObjects(subject: Subject, bucket: string, options: LargeOptions): Promise<Row[]> {
  const size = formatSize(options.size);
  const rows: Row[] = [];
  const put = await measured(subject, `PUT single stream ${size}`, 1, () => putStream(subject.target, bucket, 'large/one', options.size, 1), options.size);
  rows.push(put);
  rows.push(Number.isNaN(put.value)
    ? failedRow(subject, `GET single stream ${size}`, 1, 'MB/s', new Error('no object (the PUT failed)'))
    : await measured(subject, `GET single stream ${size}`, 1, () => getStream(subject.target, bucket, 'large/one', options.size), options.size));
  await remove(subject, bucket, ['large/one']);
  const parts = Math.ceil(options.size / options.partSize);
  const workload = `multipart PUT ${size} (${formatSize(options.partSize)} parts)`;
  const note = subject.kind === 'bare' ? `bare: ${parts} parts PUT as separate objects, ${options.parallelParts} at a time` : undefined;
  rows.push(await measured(subject, workload, options.parallelParts, () => multipart(subject, bucket, 'large/multi', options), options.size, note));
  await remove(subject, bucket, subject.kind === 'bare' ? Array.from({ length: parts }, (_, n) => `large/multi.part${n + 1}`) : ['large/multi']);
  return rows;
}
