// Runs a catalog test against every backend: PGlite always, PostgreSQL when TEST_DATABASE_URL
// is set (each run in a schema of its own, dropped afterwards).
import { createHash, randomBytes } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Test } from 'tap';
import { openCatalog, type Db, type PgliteDb } from '../../src/catalog/index.js';
import { listMigrations } from '../../src/catalog/migrate.js';

export interface Backend {
  name: 'pglite' | 'postgres' | 'pglite-thread';
  open(): Promise<Db>;
}

/**
 * PGlite, and PostgreSQL when TEST_DATABASE_URL is set. With `threads`, also PGlite on a thread
 * of its own, as a server runs it (the other suites meet that one through `trove serve`).
 */
export function backends(opts: { threads?: boolean } = {}): Backend[] {
  const list: Backend[] = [{ name: 'pglite', open: () => openPglite() }];
  if (opts.threads) list.push({ name: 'pglite-thread', open: () => openPglite(true) });
  const url = process.env.TEST_DATABASE_URL;
  if (url) list.push({ name: 'postgres', open: () => openPostgresSchema(url) });
  return list;
}

/**
 * A fresh, migrated in-memory PGlite catalog. Creating one runs initdb and every migration (about
 * two seconds); instead each test process starts from an image of one made earlier, kept in the
 * temp directory under the hash of the migrations and the PGlite version, so a change to either
 * makes a new one. The first process to need it makes it; racing makers write the same thing.
 */
export async function openPglite(onThread = false): Promise<Db> {
  const image = await pgliteImage();
  return openCatalog({ pgliteImage: image, pgliteThread: onThread });
}

async function pgliteImage(): Promise<Blob> {
  const hash = createHash('sha256');
  hash.update(await readFile(new URL('../../node_modules/@electric-sql/pglite/package.json', import.meta.url)));
  for (const m of await listMigrations()) hash.update(m.file).update(await readFile(new URL(`../../src/catalog/migrations/${m.file}`, import.meta.url)));
  const path = join(tmpdir(), `trove-test-catalog-${hash.digest('hex').slice(0, 16)}.tar.gz`);
  const cached = await readFile(path).catch(() => null);
  if (cached) return new Blob([cached]);
  const db = (await openCatalog({})) as PgliteDb;
  const image = await db.dump();
  await db.close();
  const temp = `${path}.${randomBytes(4).toString('hex')}`;
  await writeFile(temp, Buffer.from(await image.arrayBuffer()));
  await rename(temp, path);
  return image;
}

/** A fresh, migrated catalog in a new schema of the test database; dropped when closed. */
export async function openPostgresSchema(url: string): Promise<Db> {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const scoped = new URL(url);
  scoped.searchParams.set('options', `-c search_path=${schema}`);
  const db = await openCatalog({ databaseUrl: scoped.toString() });
  const close = db.close.bind(db);
  db.close = async () => {
    await close();
    const cleanup = new pg.Client({ connectionString: url });
    await cleanup.connect();
    await cleanup.query(`DROP SCHEMA ${schema} CASCADE`);
    await cleanup.end();
  };
  return db;
}

const shared = new Map<string, Promise<Db>>();

/**
 * Declares `fn` once per backend as a subtest. The catalog is opened once per backend and
 * test file (PGlite takes a second to start) and closed when the file's tests end; tests
 * isolate themselves by working in repositories of their own.
 */
export function forEachBackend(t: Test, name: string, fn: (t: Test, db: Db) => Promise<void>, opts: { threads?: boolean } = {}): void {
  for (const backend of backends(opts)) {
    if (!shared.has(backend.name)) {
      const db = backend.open();
      db.catch(() => {}); // a failure surfaces in the subtests that await it
      shared.set(backend.name, db);
      t.teardown(async () => (await db).close());
    }
    t.test(`${name} [${backend.name}]`, async (t) => fn(t, await shared.get(backend.name)!));
  }
}

/** forEachBackend with PGlite on its own thread too: for the catalog's own suites. */
export function forEachCatalog(t: Test, name: string, fn: (t: Test, db: Db) => Promise<void>): void {
  forEachBackend(t, name, fn, { threads: true });
}
