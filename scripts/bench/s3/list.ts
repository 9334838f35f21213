// ListObjectsV2 over a bucket of N keys: one client walks the whole bucket page by page
// (following continuation tokens), again and again for a fixed time; every walk must see N keys.
// Two runs: walks one after another (servers that cache the latest listing answer from memory),
// and walks that each follow a commit (an overwrite of one listed key, not timed), so no page
// of a walk can come from before it: the rate is then pages over the time spent listing.
import { performance } from 'node:perf_hooks';
import { keepAliveAgent, ok } from './client.js';
import { cpuMeter } from './cpu.js';
import { closedLoop, inParallel, percentile } from './load.js';
import { failedRow, type Row } from './report.js';
import type { Subject } from './servers.js';

export interface ListOptions {
  keys: number;
  pageSize: number;
  seconds: number;
}

const POPULATE_CONNS = 32;

function countOf(xml: string, tag: string): number {
  let n = 0;
  for (let at = xml.indexOf(tag); at >= 0; at = xml.indexOf(tag, at + tag.length)) n++;
  return n;
}

async function populate(subject: Subject, bucket: string, keys: number): Promise<void> {
  const agent = keepAliveAgent(POPULATE_CONNS);
  const t0 = performance.now();
  try {
    await inParallel(POPULATE_CONNS, keys, async (i) => {
      await ok(subject.target, agent, { method: 'PUT', bucket, key: `list/${String(i).padStart(6, '0')}`, body: 'x' }, 'PUT');
    });
  } finally {
    agent.destroy();
  }
  console.error(`  filled ${keys} keys in ${((performance.now() - t0) / 1000).toFixed(1)} s (setup, not measured)`);
}

export async function listWorkloads(subject: Subject, bucket: string, options: ListOptions): Promise<Row[]> {
  try {
    await populate(subject, bucket, options.keys);
  } catch (err) {
    const workload = `ListObjectsV2 pages (${options.keys} keys, ${options.pageSize}/page)`;
    console.error(`  ${workload}: failed: ${(err as Error).message}`);
    return [failedRow(subject, workload, 1, 'pages/s', err)];
  }
  return [await listPages(subject, bucket, options, false), await listPages(subject, bucket, options, true)];
}

async function listPages(subject: Subject, bucket: string, options: ListOptions, afterCommit: boolean): Promise<Row> {
  const workload = `ListObjectsV2 pages (${options.keys} keys, ${options.pageSize}/page${afterCommit ? ', each walk after a commit' : ''})`;
  const agent = keepAliveAgent(1);
  try {
    const pageTimes: number[] = [];
    const walk = async () => {
      if (afterCommit) await ok(subject.target, agent, { method: 'PUT', bucket, key: 'list/000000', body: 'x' }, 'PUT');
      let token: string | undefined;
      let seen = 0;
      do {
        const query: [string, string][] = [['list-type', '2'], ['max-keys', String(options.pageSize)], ['prefix', 'list/']];
        if (token) query.push(['continuation-token', token]);
        const t0 = performance.now();
        const reply = await ok(subject.target, agent, { method: 'GET', bucket, query, read: 'text' }, 'ListObjectsV2');
        pageTimes.push(performance.now() - t0);
        seen += countOf(reply.text, '<Key>');
        token = /<IsTruncated>true<\/IsTruncated>/.test(reply.text) ? /<NextContinuationToken>([^<]*)</.exec(reply.text)?.[1] : undefined;
        token = token?.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"');
      } while (token);
      if (seen !== options.keys) throw new Error(`a walk saw ${seen} keys, not ${options.keys}`);
    };
    await walk(); // warm-up
    pageTimes.length = 0;
    const cpu = cpuMeter(subject.pid);
    const r = await closedLoop(1, { seconds: options.seconds }, walk);
    const cpuUsed = cpu().summary;
    if (r.errors) throw new Error(r.firstError);
    const sorted = Float64Array.from(pageTimes).sort();
    const listing = afterCommit ? pageTimes.reduce((a, b) => a + b, 0) / 1000 : r.seconds;
    const rate = pageTimes.length / listing;
    console.error(`  ${workload}: ${rate.toFixed(0)} pages/s`);
    return { server: subject.name, kind: subject.kind, workload, conns: 1, value: rate, unit: 'pages/s', p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), cpu: cpuUsed };
  } catch (err) {
    console.error(`  ${workload}: failed: ${(err as Error).message}`);
    return failedRow(subject, workload, 1, 'pages/s', err);
  } finally {
    agent.destroy();
  }
}
