// Repositories: create (with its root commit), read, list (keyset by name), soft delete.
import { randomUUID } from 'node:crypto';
import { AlreadyExistsError, ConflictError, GoneError, NotFoundError } from '../../errors.js';
import { EMPTY_CONTENT_HASH } from '../content-hash.js';
import type { Db, Queryable } from '../db.js';
import type { Actor, Page, Repository } from '../types.js';
import { newCommitId } from './commit-ids.js';
import { toRepository } from './rows.js';
import { isUniqueViolation } from './sql-errors.js';

export interface NewRepository {
  orgId: string;
  name: string;
  description?: string;
  visibility?: 'private' | 'public';
  retentionDays?: number;
  sessionMaxDurationDays?: number | null;
  createdBy?: Actor | null;
}

export const ROOT_COMMIT_MESSAGE = 'Repository created';

/** Creates the repository and its empty root commit (sequence 0) in one transaction. */
export async function createRepository(db: Db, input: NewRepository): Promise<Repository> {
  const id = randomUUID();
  const createdAt = new Date();
  const rootId = newCommitId(id, 0, null, EMPTY_CONTENT_HASH, createdAt);
  try {
    return await db.withTx(async (tx) => {
      const { rows } = await tx.query(
        `INSERT INTO repositories (id, org_id, name, description, visibility, retention_days,
           session_max_duration_days, created_by_type, created_by, created_at, head_seq, head_commit_id, content_hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 0, $11, $12) RETURNING *`,
        [id, input.orgId, input.name, input.description ?? '', input.visibility ?? 'private', input.retentionDays ?? 14,
          input.sessionMaxDurationDays ?? null, input.createdBy?.type ?? null, input.createdBy?.id ?? null, createdAt,
          rootId, EMPTY_CONTENT_HASH],
      );
      await tx.query(
        `INSERT INTO commits (repo_id, seq, id, parent_id, message, committer_type, committer_id, committer_name,
           content_hash, object_count, total_size, created_at)
         VALUES ($1, 0, $2, NULL, $3, $4, $5, $6, $7, 0, 0, $8)`,
        [id, rootId, ROOT_COMMIT_MESSAGE, input.createdBy?.type ?? null, input.createdBy?.id ?? null,
          input.createdBy?.name ?? '', EMPTY_CONTENT_HASH, createdAt],
      );
      return toRepository(rows[0]!);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AlreadyExistsError('repository', `repository ${input.name} already exists`);
    throw err;
  }
}

/** The repository named $2 in organization $1: the live one, else the one deleted last. */
export const REPOSITORY_BY_NAME = 'SELECT * FROM repositories WHERE org_id = $1 AND name = $2 ORDER BY deleted_at DESC NULLS FIRST LIMIT 1';

/** The repository of a REPOSITORY_BY_NAME row: NotFoundError without one, GoneError if deleted. */
export function liveRepository(row: Record<string, unknown> | undefined, name: string): Repository {
  if (!row) throw new NotFoundError('repository', `repository ${name} not found`);
  const repo = toRepository(row);
  if (repo.deletedAt) throw new GoneError(`repository ${name} was deleted`);
  return repo;
}

/** The live repository by name; GoneError if only a deleted one has that name. */
export async function getRepositoryByName(q: Queryable, orgId: string, name: string): Promise<Repository> {
  const { rows } = await q.query(REPOSITORY_BY_NAME, [orgId, name]);
  return liveRepository(rows[0], name);
}

export async function getRepositoryById(q: Queryable, id: string): Promise<Repository> {
  const { rows } = await q.query('SELECT * FROM repositories WHERE id = $1', [id]);
  if (!rows[0]) throw new NotFoundError('repository');
  const repo = toRepository(rows[0]);
  if (repo.deletedAt) throw new GoneError(`repository ${repo.name} was deleted`);
  return repo;
}

/** Live repositories of one organization, by name, after the cursor `after`. */
export async function listRepositories(
  q: Queryable,
  orgId: string,
  opts: { after?: string | null; limit: number; prefix?: string },
): Promise<Page<Repository>> {
  const { rows } = await q.query(
    `SELECT * FROM repositories
     WHERE org_id = $1 AND deleted_at IS NULL AND name COLLATE "C" > $2 AND starts_with(name, $3)
     ORDER BY name COLLATE "C" LIMIT $4`,
    [orgId, opts.after ?? '', opts.prefix ?? '', opts.limit + 1],
  );
  return pageOf(rows.map(toRepository), opts.limit, (r) => r.name);
}

/**
 * Soft-deletes a repository. `onlyIfEmpty` refuses (ConflictError) one that holds objects, in
 * the same statement, so a commit landing meanwhile cannot be deleted with it.
 */
export async function softDeleteRepository(q: Queryable, id: string, opts: { onlyIfEmpty?: boolean } = {}): Promise<void> {
  const { rowCount } = await q.query(
    `UPDATE repositories SET deleted_at = now() WHERE id = $1 AND deleted_at IS NULL ${opts.onlyIfEmpty ? 'AND object_count = 0' : ''}`,
    [id],
  );
  if (rowCount > 0) return;
  if (opts.onlyIfEmpty && (await getRepositoryById(q, id).catch(() => null))) throw new ConflictError('the repository is not empty');
  throw new NotFoundError('repository');
}

export interface RepositoryChanges {
  description?: string;
  visibility?: 'private' | 'public';
  retentionDays?: number;
  sessionMaxDurationDays?: number | null;
}

/** Changes only the given fields. */
export async function updateRepository(q: Queryable, id: string, changes: RepositoryChanges): Promise<Repository> {
  const { rows } = await q.query(
    `UPDATE repositories SET
       description = CASE WHEN $2::boolean THEN $3 ELSE description END,
       visibility = CASE WHEN $4::boolean THEN $5 ELSE visibility END,
       retention_days = CASE WHEN $6::boolean THEN $7::integer ELSE retention_days END,
       session_max_duration_days = CASE WHEN $8::boolean THEN $9::integer ELSE session_max_duration_days END
     WHERE id = $1 AND deleted_at IS NULL RETURNING *`,
    [id, changes.description !== undefined, changes.description ?? null, changes.visibility !== undefined,
      changes.visibility ?? null, changes.retentionDays !== undefined, changes.retentionDays ?? null,
      changes.sessionMaxDurationDays !== undefined, changes.sessionMaxDurationDays ?? null],
  );
  if (!rows[0]) throw new NotFoundError('repository');
  return toRepository(rows[0]);
}

/** Builds a Page from limit+1 fetched rows. */
export function pageOf<T>(rows: T[], limit: number, key: (item: T) => string): Page<T> {
  const hasMore = rows.length > limit;
  const items = hasMore ? rows.slice(0, limit) : rows;
  const last = items[items.length - 1];
  return { items, hasMore, next: hasMore && last !== undefined ? key(last) : null };
}
