// Committing: the one place the history grows. In one transaction: lock the session, lock the
// repository row (which serialises committers and makes sequence numbers gap-free), refuse if a
// staged path changed after the session's base, then end the live versions of the staged paths
// and insert the new ones. Every step touches only the staged paths: O(changes).
import { randomUUID } from 'node:crypto';
import { ConflictError } from '../../errors.js';
import { updateContentHash, type HashedObject } from '../content-hash.js';
import type { Db, Queryable } from '../db.js';
import type { Actor, Commit, ObjectData, Repository, SessionStatus } from '../types.js';
import { newCommitId } from './commit-ids.js';
import { toCommit, toRepository } from './rows.js';
import { endSession, lockSession, validatePath, type Change } from './sessions.js';

export interface CommitOptions {
  message: string;
  metadata?: Record<string, string>;
  /** Defaults to the session's owner. */
  committer?: Actor | null;
  /** Set when someone else approved the session. */
  approver?: Actor | null;
  /** The states the session may be in: ['open'] normally, ['pending_approval'] when approving. */
  allowedStatus?: SessionStatus[];
}

const MAX_CONFLICTS_REPORTED = 100;

export async function commitSession(db: Db, sessionId: string, opts: CommitOptions): Promise<Commit> {
  return db.withTx(async (tx) => {
    const session = await lockSession(tx, sessionId, 'FOR UPDATE', opts.allowedStatus ?? ['open']);
    const repo = await lockRepository(tx, session.repoId);
    await assertNoConflicts(tx, repo, sessionId, session.baseSeq);
    const commit = await applyStaged(tx, repo, sessionId, { ...opts, committer: opts.committer ?? session.owner });
    await endSession(tx, sessionId, 'committed', commit.id);
    return commit;
  });
}

export async function lockRepository(tx: Queryable, repoId: string): Promise<Repository> {
  const { rows } = await tx.query('SELECT * FROM repositories WHERE id = $1 AND deleted_at IS NULL FOR UPDATE', [repoId]);
  if (!rows[0]) throw new ConflictError('repository was deleted');
  return toRepository(rows[0]);
}

/** A staged path conflicts if any commit in (base, head] started or ended a version of it. */
async function assertNoConflicts(tx: Queryable, repo: Repository, sessionId: string, baseSeq: number): Promise<void> {
  if (baseSeq >= repo.headSeq) return;
  const { rows } = await tx.query<{ path: string }>(
    `SELECT s.path FROM staged_changes s
     WHERE s.session_id = $1 AND EXISTS (
       SELECT 1 FROM entries e WHERE e.repo_id = $2 AND e.path = s.path
         AND ((e.from_seq > $3 AND e.from_seq <= $4) OR (e.to_seq > $3 AND e.to_seq <= $4)))
     ORDER BY s.path LIMIT ${MAX_CONFLICTS_REPORTED}`,
    [sessionId, repo.id, baseSeq, repo.headSeq],
  );
  if (rows.length > 0) {
    const paths = rows.map((r) => r.path);
    throw new ConflictError(`${paths.length === MAX_CONFLICTS_REPORTED ? 'at least ' : ''}${paths.length} path(s) changed since the session began: ${paths.slice(0, 10).join(', ')}`, paths);
  }
}

/**
 * Writes the session's staged changes as commit head+1 of a locked repository. Also used by
 * revert, which stages the restoring changes in a session of its own inside the same transaction.
 */
export async function applyStaged(
  tx: Queryable,
  repo: Repository,
  sessionId: string,
  opts: Omit<CommitOptions, 'allowedStatus'>,
): Promise<Commit> {
  const seq = repo.headSeq + 1;
  const ended = await tx.query<HashedObject>(
    `UPDATE entries e SET to_seq = $3 FROM staged_changes s
     WHERE s.session_id = $1 AND e.repo_id = $2 AND e.path = s.path AND e.to_seq IS NULL
     RETURNING e.path, e.etag, e.size`,
    [sessionId, repo.id, seq],
  );
  const createdAt = new Date();
  const added = await tx.query<HashedObject>(
    `INSERT INTO entries (repo_id, path, from_seq, to_seq, address, size, etag, content_type, user_metadata,
       http_headers, checksums, source_metadata, last_modified)
     SELECT $2, path, $3, NULL, address, size, etag, content_type, user_metadata, http_headers, checksums,
       source_metadata, $4 FROM staged_changes WHERE session_id = $1 AND address IS NOT NULL
     RETURNING path, etag, size`,
    [sessionId, repo.id, seq, createdAt],
  );
  const { contentHash, objectCount, totalSize } = nextTotals(repo, ended.rows, added.rows);
  const changeCount = new Set([...ended.rows, ...added.rows].map((r) => r.path)).size;
  const id = newCommitId(repo.id, seq, repo.headCommitId, contentHash, createdAt);
  const { committer, approver } = opts;
  const { rows } = await tx.query(
    `INSERT INTO commits (repo_id, seq, id, parent_id, message, metadata, committer_type, committer_id, committer_name,
       approver_type, approver_id, approver_name, session_id, content_hash, object_count, total_size, change_count, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18) RETURNING *`,
    [repo.id, seq, id, repo.headCommitId, opts.message, opts.metadata ?? {}, committer?.type ?? null, committer?.id ?? null,
      committer?.name ?? '', approver?.type ?? null, approver?.id ?? null, approver?.name ?? null, sessionId, contentHash,
      objectCount, totalSize, changeCount, createdAt],
  );
  await tx.query(
    `UPDATE repositories SET head_seq = $2, head_commit_id = $3, content_hash = $4, object_count = $5, total_size = $6
     WHERE id = $1`,
    [repo.id, seq, id, contentHash, objectCount, totalSize],
  );
  return toCommit(rows[0]!);
}

export interface DirectCommitOptions extends Omit<CommitOptions, 'allowedStatus'> {
  /** Runs under the repository lock before anything is written (conditional writes). */
  check?: (tx: Queryable, repo: Repository) => Promise<void>;
}

/**
 * Writes `changes` as commit head+1 of a locked repository, straight from memory: no session
 * or staging rows, two statements whatever the number of changes (the hot path of every S3
 * PUT). The first ends the live versions and returns them for the content hash; the second
 * inserts the new versions, the commit, and moves the head.
 */
export async function applyChanges(
  tx: Queryable,
  repo: Repository,
  changes: Change[],
  opts: Omit<CommitOptions, 'allowedStatus'>,
): Promise<Commit> {
  for (const change of changes) validatePath(change.path);
  const last = [...new Map(changes.map((c) => [c.path, c])).values()];
  const seq = repo.headSeq + 1;
  const ended = await tx.query<HashedObject>(
    `UPDATE entries SET to_seq = $3 WHERE repo_id = $1 AND path = ANY($2::text[]) AND to_seq IS NULL
     RETURNING path, etag, size`,
    [repo.id, last.map((c) => c.path), seq],
  );
  const puts = last.filter((c): c is Change & { object: ObjectData } => c.object !== null);
  const added = puts.map((c) => ({ path: c.path, etag: c.object.etag, size: c.object.size }));
  const createdAt = new Date();
  const totals = nextTotals(repo, ended.rows, added);
  const id = newCommitId(repo.id, seq, repo.headCommitId, totals.contentHash, createdAt);
  const { committer, approver } = opts;
  const batch = JSON.stringify(puts.map(({ path, object: o }) => ({
    path, address: o.address, size: o.size, etag: o.etag, content_type: o.contentType, user_metadata: o.userMetadata,
    http_headers: o.httpHeaders, checksums: o.checksums, source_metadata: o.sourceMetadata,
  })));
  const { rows } = await tx.query(
    `WITH added AS (
       INSERT INTO entries (repo_id, path, from_seq, to_seq, address, size, etag, content_type, user_metadata,
         http_headers, checksums, source_metadata, last_modified)
       SELECT $1, c.path, $2, NULL, c.address, c.size, c.etag, c.content_type, c.user_metadata, c.http_headers,
         c.checksums, c.source_metadata, $17
       FROM jsonb_to_recordset($18::jsonb) AS c(path text, address text, size bigint, etag text, content_type text,
         user_metadata jsonb, http_headers jsonb, checksums jsonb, source_metadata jsonb)
     ), head AS (
       UPDATE repositories SET head_seq = $2, head_commit_id = $3, content_hash = $13, object_count = $14, total_size = $15
       WHERE id = $1
     )
     INSERT INTO commits (repo_id, seq, id, parent_id, message, metadata, committer_type, committer_id, committer_name,
       approver_type, approver_id, approver_name, content_hash, object_count, total_size, change_count, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) RETURNING *`,
    [repo.id, seq, id, repo.headCommitId, opts.message, opts.metadata ?? {}, committer?.type ?? null, committer?.id ?? null,
      committer?.name ?? '', approver?.type ?? null, approver?.id ?? null, approver?.name ?? null, totals.contentHash,
      totals.objectCount, totals.totalSize, new Set([...ended.rows.map((r) => r.path), ...added.map((r) => r.path)]).size,
      createdAt, batch],
  );
  return toCommit(rows[0]!);
}

/** The repository's content hash, object count and total size after ending and adding versions. */
function nextTotals(repo: Repository, ended: HashedObject[], added: HashedObject[]) {
  const sizeOf = (rows: HashedObject[]) => rows.reduce((sum, r) => sum + r.size, 0);
  return {
    contentHash: updateContentHash(repo.contentHash, ended, added),
    objectCount: repo.objectCount - ended.length + added.length,
    totalSize: repo.totalSize - sizeOf(ended) + sizeOf(added),
  };
}

/** Inside a transaction holding the repository lock: a one-off session, staged by `stage`, committed. */
export async function commitOnHead(
  tx: Queryable,
  repo: Repository,
  opts: Omit<CommitOptions, 'allowedStatus'>,
  stage: (sessionId: string) => Promise<void>,
): Promise<Commit> {
  const sessionId = randomUUID();
  const committer = opts.committer ?? null;
  await tx.query(
    'INSERT INTO sessions (id, repo_id, base_seq, owner_type, owner_id, owner_name) VALUES ($1, $2, $3, $4, $5, $6)',
    [sessionId, repo.id, repo.headSeq, committer?.type ?? null, committer?.id ?? null, committer?.name ?? ''],
  );
  await stage(sessionId);
  const commit = await applyStaged(tx, repo, sessionId, opts);
  await endSession(tx, sessionId, 'committed', commit.id);
  return commit;
}
