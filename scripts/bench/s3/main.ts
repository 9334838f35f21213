// `npm run bench -- s3`: the S3 benchmarks of issue 3 §4. Each server runs alone, one after
// the other, as a child process; this process is the load generator. Trove first, then the
// baselines; a baseline that cannot start is skipped with the reason. Progress goes to stderr,
// the report (Markdown) to stdout.
import { cpus, loadavg, totalmem } from 'node:os';
import { formatSize } from './body.js';
import { keepAliveAgent, ok } from './client.js';
import { largeObjects } from './large.js';
import { listWorkloads } from './list.js';
import { parseOptions, USAGE, type Options } from './options.js';
import { cleanUpOnExit, settleDisk } from './processes.js';
import { targetsTable, throughputTable, troveOnlyTable, type Row, type TroveOnly } from './report.js';
import { startBare, startMoto, startS3rver, startTrove, type Subject } from './servers.js';
import { smallObjects } from './small.js';
import { memoryDuringHugeTransfer, stallCheck } from './trove-only.js';

const BUCKET = 'bench';
const LIST_BUCKET = 'bench-list';

function launchers(o: Options): { name: string; start: () => Promise<Subject> }[] {
  const all: { name: string; start: () => Promise<Subject> }[] = [];
  if (o.servers.includes('trove')) for (const backend of o.backends) all.push({ name: `trove (${backend})`, start: () => startTrove({ backend, postgresUrl: o.postgresUrl }) });
  if (o.servers.includes('bare')) all.push({ name: 'bare node:http', start: startBare });
  if (o.servers.includes('s3rver')) all.push({ name: 's3rver', start: startS3rver });
  if (o.servers.includes('moto')) all.push({ name: 'moto_server', start: startMoto });
  return all;
}

async function measure(subject: Subject, o: Options, rows: Row[], troveOnly: TroveOnly[]): Promise<void> {
  const agent = keepAliveAgent(1);
  for (const bucket of [BUCKET, LIST_BUCKET]) await ok(subject.target, agent, { method: 'PUT', bucket }, `CreateBucket ${bucket}`);
  agent.destroy();
  const w = new Set(o.workloads);
  if (w.has('small')) rows.push(...(await smallObjects(subject, BUCKET, { conns: o.conns, ops: o.smallOps, seconds: o.seconds, warmupSeconds: o.warmupSeconds })));
  if (w.has('list')) rows.push(...(await listWorkloads(subject, LIST_BUCKET, { keys: o.listKeys, pageSize: o.listPageSize, seconds: o.listSeconds })));
  if (w.has('large')) rows.push(...(await largeObjects(subject, BUCKET, { size: o.largeSize, partSize: o.partSize, parallelParts: o.parallelParts })));
  if (subject.kind !== 'trove') return;
  for (const [name, run] of [
    ['stall', () => stallCheck(subject, BUCKET, o.largeSize, o.stallConns, o.seconds)],
    ['rss', () => memoryDuringHugeTransfer(subject, BUCKET, o.hugeSize)],
  ] as const) {
    if (!w.has(name)) continue;
    try {
      troveOnly.push(await run());
    } catch (err) {
      console.error(`  ${name}: failed: ${(err as Error).message}`);
      troveOnly.push({ server: subject.name, lines: [`${name} | failed: ${(err as Error).message.slice(0, 200)}`] });
    }
  }
}

const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');

function report(args: string[], o: Options, rows: Row[], troveOnly: TroveOnly[], skipped: string[], loadAtStart: string): string {
  const cpu = cpus();
  return [
    '## S3 benchmarks', '',
    '```', `npm run bench -- s3 ${args.join(' ')}`.trimEnd(), '```', '',
    `${new Date().toISOString()} · node ${process.version} · ${cpu.length} × ${cpu[0]?.model.trim() ?? 'cpu'} · ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM · shared machine, figures are noisy (load average ${loadAtStart} at the start, ${load()} at the end)`,
    `Small objects: ${o.seconds} s per cell after ${o.warmupSeconds} s warm-up, keep-alive; list: one client walking ${o.listKeys} keys; large: ${formatSize(o.largeSize)}, multipart ${formatSize(o.partSize)} parts ${o.parallelParts} in parallel. MB = 10^6 bytes. Ratios are Trove / baseline (higher is better for Trove).`,
    '', throughputTable(rows), '',
    '### Against the issue\'s reference figures and targets', '', targetsTable(rows), '',
    ...(troveOnly.length ? ['### Trove only: memory and event-loop stalls', '', troveOnlyTable(troveOnly), ''] : []),
    ...(skipped.length ? ['Skipped:', ...skipped.map((s) => `- ${s}`), ''] : []),
    'Servers: Trove is `node bin/trove.js serve` (every PUT one commit); bare is scripts/bench/s3/bare-server.ts (fsync + rename, no auth, in-memory list index); s3rver on its filesystem directory; moto_server keeps objects in memory.',
  ].join('\n');
}

export async function s3Benchmarks(args: string[]): Promise<void> {
  if (args.includes('--help')) return void console.log(USAGE);
  const o = parseOptions(args);
  cleanUpOnExit();
  const loadAtStart = load();
  const rows: Row[] = [];
  const troveOnly: TroveOnly[] = [];
  const skipped: string[] = [];
  for (const { name, start } of launchers(o)) {
    console.error(`${name}: starting`);
    let subject: Subject;
    try {
      subject = await start();
    } catch (err) {
      console.error(`${name}: skipped: ${(err as Error).message}`);
      skipped.push(`${name}: ${(err as Error).message.replace(/\s+/g, ' ').slice(0, 300)}`);
      continue;
    }
    try {
      await measure(subject, o, rows, troveOnly);
    } catch (err) {
      console.error(`${name}: stopped early: ${(err as Error).message}`);
      skipped.push(`${name}: stopped early: ${(err as Error).message.replace(/\s+/g, ' ').slice(0, 300)}`);
    } finally {
      await subject.stop();
      settleDisk();
    }
  }
  console.log(report(args, o, rows, troveOnly, skipped, loadAtStart));
}
