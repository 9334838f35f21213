// Timing helpers and the shared result row of every benchmark.
import { performance } from 'node:perf_hooks';

export interface Result {
  backend: string;
  name: string;
  subject: string;
  subjectMs: number;
  baseline: string;
  baselineMs: number;
}

export async function timeIt(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function markdownTable(results: Result[]): string {
  const lines = [
    '| backend | benchmark | measured | ms | baseline | ms | ratio |',
    '|---|---|---|---:|---|---:|---:|',
    ...results.map((r) =>
      `| ${r.backend} | ${r.name} | ${r.subject} | ${r.subjectMs.toFixed(2)} | ${r.baseline} | ${r.baselineMs.toFixed(2)} | ${(r.subjectMs / r.baselineMs).toFixed(2)} |`),
  ];
  return lines.join('\n');
}
