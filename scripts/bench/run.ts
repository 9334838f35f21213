// scripts/bench: runs the named benchmark suites, each beside its baseline, and prints a
// Markdown table of ratios for BENCHMARKS.md.
//   npm run bench -- catalog [--backend pglite,postgres]
//   npm run bench -- s3 [--quick] [options]   (--help lists them; see s3/main.ts)
// PostgreSQL comes from BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test),
// in a schema of its own that is dropped afterwards.
import { openCatalog, type Db } from '../../src/catalog/index.js';
import { openPostgresSchema } from '../../test/helpers/catalog.js';
import { catalogBenchmarks } from './catalog.js';
import { s3Benchmarks } from './s3/main.js';
import { markdownTable, type Result } from './stats.js';

const args = process.argv.slice(2);
const suite = args.find((a) => !a.startsWith('--')) ?? 'catalog';
const backendArg = args[args.indexOf('--backend') + 1];
const backendNames = (args.includes('--backend') && backendArg ? backendArg : 'pglite,postgres').split(',');
const postgresUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function open(name: string): Promise<Db> {
  if (name === 'pglite') return openCatalog({});
  if (name === 'postgres') return openPostgresSchema(postgresUrl);
  throw new Error(`unknown backend ${name}`);
}

async function main(): Promise<void> {
  if (suite === 's3') return s3Benchmarks(args.slice(args.indexOf('s3') + 1));
  if (suite !== 'catalog') throw new Error(`unknown suite ${suite} (known: catalog, s3)`);
  const results: Result[] = [];
  for (const name of backendNames) {
    const db = await open(name);
    try {
      results.push(...(await catalogBenchmarks(db, name)));
    } finally {
      await db.close();
    }
  }
  console.log(markdownTable(results));
}

await main();
