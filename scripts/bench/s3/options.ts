// Command-line options of `npm run bench -- s3`. Defaults are the sizes; --quick shrinks
// them for a smoke run; any explicit flag wins over --quick.
import { GiB, MiB, parseSize } from './body.js';

export const SERVERS = ['trove', 'bare', 's3rver', 'moto'] as const;
export const WORKLOADS = ['small', 'list', 'large', 'stall', 'rss'] as const;
export const BACKENDS = ['pglite', 'postgres'] as const;
export const SMALL_OPS = ['put', 'get', 'head'] as const;

export interface Options {
  servers: (typeof SERVERS)[number][];
  backends: (typeof BACKENDS)[number][];
  workloads: (typeof WORKLOADS)[number][];
  postgresUrl: string;
  conns: number[];
  smallOps: (typeof SMALL_OPS)[number][];
  seconds: number;
  warmupSeconds: number;
  listKeys: number;
  listPageSize: number;
  listSeconds: number;
  largeSize: number;
  partSize: number;
  parallelParts: number;
  hugeSize: number;
  stallConns: number;
}

export const USAGE = `npm run bench -- s3 [options]
  --quick                    small sizes and short cells (64 MiB objects, 2 s cells, 2,000 list keys)
  --servers LIST             ${SERVERS.join(',')} (default: all)
  --backend LIST             Trove's catalog: pglite, postgres or pglite,postgres (default pglite)
  --workloads LIST           ${WORKLOADS.join(',')} (default: all; stall and rss run on Trove only)
  --conns LIST               small-object connection counts (default 16,64)
  --small-ops LIST           ${SMALL_OPS.join(',')} (default: all; GET and HEAD read the keys PUT wrote)
  --duration S               seconds per small-object cell and per list run (default 10)
  --warmup S                 unmeasured warm-up before each small-object cell (default 1)
  --list-keys N              keys in the listed bucket (default 10000), --list-page N (default 1000)
  --large-size SIZE          single-stream and multipart object size (default 1GiB)
  --part-size SIZE           multipart part size (default 16MiB), --parallel-parts N (default 4)
  --huge-size SIZE           the RSS measurement's object (default 5GiB)
  --stall-conns N            connections of the small GETs in the stall check (default 4)
  Trove's Node.js flags: BENCH_TROVE_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof").
  PostgreSQL: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test); a fresh
  database is created on that server and dropped afterwards.
  BENCH_KEEP_DIRS=1 keeps the servers' temporary directories (the run prints them): for runs one
  after another, whose deletions would otherwise slow the next run's file creation.`;

function list<T extends string>(raw: string, allowed: readonly T[], flag: string): T[] {
  const items = raw.split(',').filter(Boolean);
  for (const item of items) if (!(allowed as readonly string[]).includes(item)) throw new Error(`${flag}: unknown "${item}" (known: ${allowed.join(', ')})`);
  return items as T[];
}

function positive(raw: string, flag: string): number {
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${flag} must be a positive number (got "${raw}")`);
  return n;
}

export function parseOptions(args: string[]): Options {
  const quick = args.includes('--quick');
  const o: Options = {
    servers: [...SERVERS], backends: ['pglite'], workloads: [...WORKLOADS],
    postgresUrl: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test',
    conns: [16, 64], smallOps: [...SMALL_OPS], seconds: quick ? 2 : 10, warmupSeconds: quick ? 0.5 : 1,
    listKeys: quick ? 2000 : 10_000, listPageSize: 1000, listSeconds: quick ? 2 : 10,
    largeSize: quick ? 64 * MiB : GiB, partSize: 16 * MiB, parallelParts: 4,
    hugeSize: quick ? 64 * MiB : 5 * GiB, stallConns: 4,
  };
  for (let i = 0; i < args.length; i++) {
    const flag = args[i]!;
    if (flag === '--quick') continue;
    const value = args[++i];
    if (value === undefined) throw new Error(`${flag} needs a value\n${USAGE}`);
    switch (flag) {
      case '--servers': o.servers = list(value, SERVERS, flag); break;
      case '--backend': o.backends = list(value, BACKENDS, flag); break;
      case '--workloads': o.workloads = list(value, WORKLOADS, flag); break;
      case '--conns': o.conns = value.split(',').map((v) => Math.round(positive(v, flag))); break;
      case '--small-ops': o.smallOps = list(value, SMALL_OPS, flag); break;
      case '--duration': o.seconds = o.listSeconds = positive(value, flag); break;
      case '--warmup': o.warmupSeconds = Math.max(0, Number(value) || 0); break;
      case '--list-keys': o.listKeys = Math.round(positive(value, flag)); break;
      case '--list-page': o.listPageSize = Math.min(1000, Math.round(positive(value, flag))); break;
      case '--large-size': o.largeSize = parseSize(value); break;
      case '--part-size': o.partSize = parseSize(value); break;
      case '--parallel-parts': o.parallelParts = Math.round(positive(value, flag)); break;
      case '--huge-size': o.hugeSize = parseSize(value); break;
      case '--stall-conns': o.stallConns = Math.round(positive(value, flag)); break;
      default: throw new Error(`unknown option ${flag}\n${USAGE}`);
    }
  }
  if (!o.smallOps.includes('put') && o.smallOps.length > 0) throw new Error('--small-ops: get and head read the keys put wrote, so put must be among them');
  if (o.partSize < 5 * MiB) throw new Error('--part-size must be at least 5MiB (S3\'s minimum part size)');
  return o;
}
