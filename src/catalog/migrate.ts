// Forward-only numbered migrations (migrations/NNNN-name.sql), applied at start-up and by
// `trove migrate`. Each runs in its own transaction that records its number first, so two
// processes migrating at once collide on the primary key: the loser rolls back, re-reads
// what is applied and carries on.
import { readdir, readFile } from 'node:fs/promises';
import type { Db } from './db.js';
import { isUniqueViolation } from './queries/sql-errors.js';

const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);

interface Migration {
  version: number;
  name: string;
  file: string;
}

export async function listMigrations(): Promise<Migration[]> {
  const files = (await readdir(MIGRATIONS_DIR)).filter((f) => /^\d{4}-.+\.sql$/.test(f)).sort();
  return files.map((file) => ({ version: Number(file.slice(0, 4)), name: file.slice(5, -4), file }));
}

async function appliedVersions(db: Db): Promise<Set<number>> {
  await db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
  const { rows } = await db.query<{ version: number }>('SELECT version FROM schema_migrations');
  return new Set(rows.map((r) => r.version));
}

/** Applies every pending migration; returns the versions this call applied. */
export async function migrate(db: Db): Promise<number[]> {
  const applied = await appliedVersions(db);
  const done: number[] = [];
  for (const migration of await listMigrations()) {
    if (applied.has(migration.version)) continue;
    const script = await readFile(new URL(migration.file, MIGRATIONS_DIR), 'utf8');
    try {
      await db.withTx(async (tx) => {
        await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
        await tx.exec(script);
      });
      done.push(migration.version);
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      // Another process applied this one while we waited: move on to the next.
    }
  }
  return done;
}
