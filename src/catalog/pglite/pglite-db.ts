// PGlite: the embedded default, PostgreSQL compiled to WebAssembly inside this process.
// We use its own API rather than the node-postgres adapter: it is one connection, and
// `transaction()` gives the exclusive use of it that our withTx promises, with no pool
// emulation in between. Parsers make its rows look like pg's (int8 as number).
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { access, cp, open, readdir, rename, rm, rmdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { inlineParams } from './inline-params.js';
import { INT8_OID, parseInt8, payloadFor, type CatalogEvent, type Db, type Queryable, type QueryResult, type SqlParam } from '../db.js';

const parsers = { [INT8_OID]: parseInt8 };

// PGlite is PostgreSQL compiled to WebAssembly, tens of MB of code. V8's optimizing tier
// recompiles the hot parts of it in the background, for a hundred MB and more of memory; it
// makes heavy statements 20-40% faster (the query of a 1,000-entry listing page: 5.5 ms against
// 7.9). The baseline compiler alone keeps the embedded default near its memory budget, so that
// is the trade made here. Set before PGlite compiles its module.
setFlagsFromString('--liftoff-only');
const SHARED_BUFFERS = '16MB';

class PgliteQueryable implements Queryable {
  constructor(private readonly target: PGlite | Transaction) {}

  // The simple query protocol with the values inlined: a third of the cost of a parameterized
  // query in PGlite (inline-params.ts says why, and why it is safe).
  async query<Row>(sql: string, params: readonly SqlParam[] = []): Promise<QueryResult<Row>> {
    const results = await this.target.exec(inlineParams(sql, params));
    const result = results[results.length - 1];
    const rows = (result?.rows ?? []) as Row[];
    return { rows, rowCount: result?.affectedRows ?? rows.length };
  }

  async exec(script: string): Promise<void> {
    await this.target.exec(script);
  }
}

export class PgliteDb extends PgliteQueryable implements Db {
  readonly kind = 'pglite' as const;

  private constructor(private readonly pglite: PGlite) {
    super(pglite);
  }

  /**
   * dataDir undefined = in memory (tests and benchmarks), empty or a copy of `image` (a
   * `dump()` of another catalog: no initdb, which is most of the cost of a new one).
   */
  static async open(dataDir?: string, image?: Blob): Promise<PgliteDb> {
    if (dataDir) await initDataDir(dataDir);
    const pglite = new PGlite({
      ...(dataDir ? { dataDir } : {}),
      ...(image && !dataDir ? { loadDataDir: image } : {}),
      parsers,
      // PostgreSQL touches all of its buffer pool at start: PGlite's default of 128 MB is most of
      // the process's memory. The data directory's files stay in the operating system's page
      // cache, so a smaller pool costs a read call on a miss, not a disk read.
      postgresqlconf: [`shared_buffers = ${SHARED_BUFFERS}`],
    });
    await pglite.waitReady;
    // This session is the only one the catalog will ever have: the triggers that keep
    // in-process caches of repositories exact fire only where this is set (migration 0003).
    await pglite.exec(`SET trove.single_process = 'on'`);
    // Inlined string literals are exact only with standard strings (backslash is not an escape).
    const { rows } = await pglite.query<{ on: string }>(`SELECT current_setting('standard_conforming_strings') AS on`);
    if (rows[0]?.on !== 'on') throw new Error('the embedded catalog needs standard_conforming_strings = on');
    return new PgliteDb(pglite);
  }

  // One process owns the data directory, so every NOTIFY is this process's own: PGlite hands
  // it to the listener before the statement that committed it resolves, and is never 'lost'.
  async listen(channel: string, fn: (event: CatalogEvent) => void): Promise<() => Promise<void>> {
    const unsubscribe = await this.pglite.listen(channel, (payload) => {
      const mine = payloadFor('public', payload);
      if (mine !== null) fn({ kind: 'notify', payload: mine });
    });
    fn({ kind: 'ready' });
    return unsubscribe;
  }

  /** The whole catalog as a gzipped tarball, for `open(undefined, image)`. */
  dump(): Promise<Blob> {
    return this.pglite.dumpDataDir('gzip');
  }

  withTx<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.pglite.transaction((tx) => fn(new PgliteQueryable(tx)));
  }

  async close(): Promise<void> {
    if (!this.pglite.closed) await this.pglite.close();
  }
}

// A new data directory is a copy of the empty catalog `npm run build` made
// (dist/catalog-template): copied beside it, flushed, then renamed into place, so a directory
// with PG_VERSION in it is always whole. Without a template, initdb makes it: a second
// WebAssembly program whose few hundred MiB the process would keep for good (the allocator does
// not give them back), so it runs in a short-lived child process and the server only ever opens
// existing directories.
const TEMPLATE = fileURLToPath(new URL('../../../dist/catalog-template', import.meta.url));

async function initDataDir(dataDir: string): Promise<void> {
  if (await exists(join(dataDir, 'PG_VERSION'))) return;
  if ((await exists(join(TEMPLATE, 'PG_VERSION'))) && (await copyTemplate(dataDir))) return;
  // Beside this file: pglite-init.js when built, pglite-init.ts when run from source (tests).
  const script = fileURLToPath(new URL(`./pglite-init${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url));
  // The baseline compiler alone runs initdb in 3.6 s of CPU instead of 5.6.
  const child = fork(script, [dataDir], { execArgv: [...process.execArgv, '--liftoff-only'], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`could not create the embedded catalog in ${dataDir}: ${stderr.trim() || `exit code ${code}`}`);
}

/** False when dataDir exists and holds something: initdb then decides what to say of it. */
async function copyTemplate(dataDir: string): Promise<boolean> {
  const made = `${dataDir}.new-${process.pid}`;
  await rm(made, { recursive: true, force: true });
  await cp(TEMPLATE, made, { recursive: true });
  await flushTree(made);
  const placed = await rmdir(dataDir).then(() => true, (err: NodeJS.ErrnoException) => err.code === 'ENOENT');
  if (placed) await rename(made, dataDir);
  else await rm(made, { recursive: true, force: true });
  if (placed) await flushTree(dirname(dataDir), false);
  return placed;
}

/** fsync of every file and directory under `dir` (or of `dir` alone). */
async function flushTree(dir: string, recursive = true): Promise<void> {
  const entries = recursive ? await readdir(dir, { withFileTypes: true }) : [];
  await Promise.all(entries.map((e) => (e.isDirectory() ? flushTree(join(dir, e.name)) : flush(join(dir, e.name)))));
  await flush(dir);
}

async function flush(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

const exists = (path: string) => access(path).then(() => true, () => false);
