// PGlite: the embedded default, PostgreSQL compiled to WebAssembly. A catalog in a data
// directory (a server's) runs on a thread of its own (pglite-threaded.ts); one in memory (tests,
// benchmarks) on the calling thread (pglite-local.ts), unless asked otherwise. Both run the
// same statements the same way, and the catalog suites run both.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { access, cp, open, readdir, rename, rm, rmdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import type { Db } from '../db.js';
import { LocalPgliteDb } from './pglite-local.js';
import { ThreadedPgliteDb } from './pglite-threaded.js';

// PGlite is PostgreSQL compiled to WebAssembly, tens of MB of code. V8's optimizing tier
// recompiles the hot parts of it in the background, for a hundred MB and more of memory; it
// makes heavy statements 20-40% faster (the query of a 1,000-entry listing page: 5.5 ms against
// 7.9). The baseline compiler alone keeps the embedded default near its memory budget, so that
// is the trade made here. V8's flags are the process's: set before any thread compiles PGlite.
setFlagsFromString('--liftoff-only');

export interface PgliteDb extends Db {
  /** The whole catalog as a gzipped tarball, for `openPgliteDb(undefined, image)`. */
  dump(): Promise<Blob>;
}

/**
 * dataDir undefined = in memory (tests and benchmarks), empty or a copy of `image` (a `dump()`
 * of another catalog: no initdb, which is most of the cost of a new one).
 */
export async function openPgliteDb(dataDir?: string, image?: Blob, onThread = dataDir !== undefined): Promise<PgliteDb> {
  if (dataDir) await initDataDir(dataDir);
  const options = { dataDir, image: image && !dataDir ? new Uint8Array(await image.arrayBuffer()) : undefined };
  return onThread ? ThreadedPgliteDb.open(options) : LocalPgliteDb.open(options);
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
