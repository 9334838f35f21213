// The catalog: Trove's versioned metadata in PostgreSQL or PGlite (see README.md).
// Everything outside catalog/ imports from here, never from pg/, pglite/ or queries/ files.
import { PgDb } from './pg/pg-db.js';
import { openPgliteDb } from './pglite/pglite-db.js';
import { migrate } from './migrate.js';
import type { Db } from './db.js';

export type { CatalogEvent, Db, Queryable, Transaction } from './db.js';
export type { PgliteDb } from './pglite/pglite-db.js';
export * from './types.js';
export { migrate } from './migrate.js';
export { EMPTY_CONTENT_HASH, updateContentHash } from './content-hash.js';
export { compareKeys, commonPrefixOf, prefixSuccessor, MAX_PATH_BYTES } from './queries/keys.js';
export * as repositories from './queries/repositories.js';
export * as sessions from './queries/sessions.js';
export * as reads from './queries/reads.js';
export * as history from './queries/history.js';
export * as diffs from './queries/diff.js';
export * as organizations from './queries/organizations.js';
export * as principals from './queries/principals.js';
export * as apiKeys from './queries/api-keys.js';
export * as settings from './queries/settings.js';
export * as uploads from './queries/uploads.js';
export * as policies from './queries/policies.js';
export * as groups from './queries/groups.js';
export * as rateLimits from './queries/rate-limits.js';
export * as authSessions from './queries/auth-sessions.js';
export { isExpiredKey } from './queries/key-expiry.js';
export { commitSession } from './queries/commit.js';
export { commitChanges } from './queries/commit-batch.js';
export type { Change } from './queries/sessions.js';
export { revertCommit } from './queries/revert.js';
export { findReferencedAddresses } from './queries/blob-references.js';
export type { View, ListItem, ListOptions, ObjectSummary } from './queries/reads.js';

export interface CatalogLocation {
  /** postgres://… selects PostgreSQL; otherwise PGlite in pgliteDir (in memory when undefined). */
  databaseUrl?: string | null;
  pgliteDir?: string;
  /** In memory only: start from this dump of a catalog (PgliteDb.dump) instead of an empty one. */
  pgliteImage?: Blob;
  /** PGlite on a thread of its own: the default in a data directory (a server's catalog). */
  pgliteThread?: boolean;
}

/** Opens the catalog and applies pending migrations. */
export async function openCatalog(location: CatalogLocation): Promise<Db> {
  const db = location.databaseUrl ? PgDb.open(location.databaseUrl) : await openPgliteDb(location.pgliteDir, location.pgliteImage, location.pgliteThread);
  try {
    await migrate(db);
  } catch (err) {
    await db.close();
    throw err;
  }
  return db;
}
