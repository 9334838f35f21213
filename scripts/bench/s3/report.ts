// Result rows and the Markdown tables printed at the end: every server side by side, Trove's
// ratios to each baseline, and Trove beside the reference figures and targets.
import type { Kind, Subject } from './servers.js';

export interface Row {
  server: string;
  kind: Kind;
  workload: string;
  conns: number;
  /** ops/s, pages/s or MB/s (10^6 bytes); NaN when the cell failed. */
  value: number;
  unit: 'ops/s' | 'pages/s' | 'MB/s';
  p50?: number;
  p99?: number;
  /** "client % / server %" of one core over the measurement. */
  cpu?: string;
  /** The server's CPU ms per operation, "total (user + system)"; small-object cells only. */
  cpuPerOp?: string;
  note?: string;
}

const BASELINES: Kind[] = ['bare', 's3rver', 'moto'];

const num = (v: number | undefined, digits = 0) => (v === undefined || Number.isNaN(v) ? '—' : v.toFixed(digits));
const ms = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? '—' : v < 10 ? v.toFixed(2) : v.toFixed(1));

export function failedRow(subject: Subject, workload: string, conns: number, unit: Row['unit'], error: unknown): Row {
  const message = (error as Error).message ?? String(error);
  return { server: subject.name, kind: subject.kind, workload, conns, value: Number.NaN, unit, note: `failed: ${message.slice(0, 160)}` };
}

function ratio(row: Row, rows: Row[], baseline: Kind): string {
  if (row.kind !== 'trove') return '';
  const base = rows.find((r) => r.kind === baseline && r.workload === row.workload && r.conns === row.conns);
  if (!base || Number.isNaN(base.value) || Number.isNaN(row.value) || base.value === 0) return '—';
  return (row.value / base.value).toFixed(2);
}

export function throughputTable(rows: Row[]): string {
  const lines = [
    '| server | workload | conns | rate | p50 ms | p99 ms | ratio vs bare | ratio vs s3rver | ratio vs moto | CPU % client / server | server CPU ms/op (user + sys) | note |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
  ];
  const workloads = [...new Set(rows.map((r) => `${r.workload}\u0000${r.conns}`))];
  for (const w of workloads) {
    for (const row of rows.filter((r) => `${r.workload}\u0000${r.conns}` === w)) {
      const rate = Number.isNaN(row.value) ? '—' : `${num(row.value, row.unit === 'MB/s' ? 1 : 0)} ${row.unit}`;
      const ratios = BASELINES.map((b) => ratio(row, rows, b)).join(' | ');
      lines.push(`| ${row.server} | ${row.workload} | ${row.conns} | ${rate} | ${ms(row.p50)} | ${ms(row.p99)} | ${ratios} | ${row.cpu ?? ''} | ${row.cpuPerOp ?? ''} | ${row.note ?? ''} |`);
    }
  }
  return lines.join('\n');
}

/** The figures: the strongest Node S3 server measured on this machine, and the targets. */
const REFERENCES: Array<{ workload: string; label?: string; only?: (workload: string) => boolean; reference: string; target: (bare: number | undefined) => number | undefined }> = [
  { workload: 'PUT 4 KiB', reference: '430 ops/s', target: (_b: number | undefined) => 860 },
  { workload: 'GET 4 KiB', reference: '920 ops/s', target: () => 1840 },
  { workload: 'HEAD 4 KiB', reference: '1,500 ops/s', target: () => 3000 },
  { workload: 'ListObjectsV2 pages', label: 'ListObjectsV2 pages, walks one after another', only: (w: string) => !w.includes('after a commit'), reference: '30 pages/s', target: () => 200 },
  { workload: 'ListObjectsV2 pages', label: 'ListObjectsV2 pages, each walk after a commit', only: (w: string) => w.includes('after a commit'), reference: '30 pages/s', target: () => 200 },
  { workload: 'PUT single stream', reference: '220–240 MB/s', target: (bare: number | undefined) => (bare === undefined ? undefined : 0.8 * bare) },
  { workload: 'GET single stream', reference: '220–240 MB/s', target: (bare: number | undefined) => (bare === undefined ? undefined : 0.8 * bare) },
];

export function targetsTable(rows: Row[]): string {
  const best = (kind: Kind | string, workload: string, byName = false, only: (w: string) => boolean = () => true) => {
    const values = rows.filter((r) => (byName ? r.server === kind : r.kind === kind) && r.workload.startsWith(workload) && only(r.workload) && !Number.isNaN(r.value));
    return values.length ? Math.max(...values.map((r) => r.value)) : undefined;
  };
  const troves = [...new Set(rows.filter((r) => r.kind === 'trove').map((r) => r.server))];
  const lines = [
    `| workload (best over conns) | reference: strongest Node S3 server | target | ${troves.join(' | ')} |`,
    `|---|---:|---:|${troves.map(() => '---:|').join('')}`,
  ];
  for (const ref of REFERENCES) {
    const target = ref.target(best('bare', ref.workload, false, ref.only));
    const cells = troves.map((t) => {
      const v = best(t, ref.workload, true, ref.only);
      if (v === undefined) return '—';
      return `${num(v, ref.workload.includes('stream') ? 1 : 0)}${target === undefined ? '' : v >= target ? ' (met)' : ' (not met)'}`;
    });
    const targetText = target === undefined ? '80% of bare (bare not run)' : `≥ ${num(target, 0)}${ref.workload.includes('stream') ? ' MB/s (80% of bare)' : ''}`;
    lines.push(`| ${ref.label ?? ref.workload} | ${ref.reference} | ${targetText} | ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

export interface TroveOnly {
  server: string;
  lines: string[];
}

export function troveOnlyTable(items: TroveOnly[]): string {
  return ['| server | measurement | result |', '|---|---|---|', ...items.flatMap((i) => i.lines.map((l) => `| ${i.server} | ${l} |`))].join('\n');
}
