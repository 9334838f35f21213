// Committing: the one place the history grows. In one transaction: lock the session, lock the
// repository row (which serialises committers and makes sequence numbers gap-free), refuse if a
// staged path changed after the session's base, then end the live versions of the staged paths
// and insert the new ones. Every step touches only the staged paths: O(changes).
import { randomUUID } from 'node:crypto';
import { ConflictError } from '../../errors.js';
import { updateContentHash, type HashedObject } from '../content-hash.js';
import type { Db, Queryable, Transaction } from '../db.js';
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

/** A repository row whose lock has been asked for: its id now, the row once the lock is held. */
export interface RepositoryLock {
  id: string;
  row: Promise<Repository>;
}

/** The locked row, once the lock is held. */
export function lockedRow(repo: Repository | RepositoryLock): Promise<Repository> | Repository {
  return 'row' in repo ? repo.row : repo;
}

/** Asks for the repository's lock without waiting for it, so statements can follow at once. */
export function sendLock(tx: Queryable, repoId: string): RepositoryLock {
  const row = lockRepository(tx, repoId);
  void row.catch(() => undefined); // whoever goes on awaits it
  return { id: repoId, row };
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

/** One direct commit: its changes (the last change of a path wins) and how it is recorded. */
export interface DirectCommit {
  changes: Change[];
  opts: Omit<CommitOptions, 'allowedStatus'>;
}

/**
 * Writes direct commits as head+1, head+2, … of a locked repository, straight from memory: no
 * session or staging rows, and two statements whatever the number of commits and changes (the
 * hot path of every S3 PUT, which group commit hands over several at a time). The first ends
 * the live versions the commits replace and returns them for the content hashes; the second
 * inserts the new versions (those a later commit of the same call replaces already ended), the
 * commits, and moves the head.
 *
 * `repo` may be a lock still on its way: the first statement counts its sequence numbers from
 * the head in SQL, so it is sent right behind the lock, in the same round trip. With `commit`,
 * the second goes out with the transaction's COMMIT behind it.
 */
export async function applyCommits(
  tx: Transaction,
  repo: Repository | RepositoryLock,
  commits: DirectCommit[],
  opts: { commit?: boolean } = {},
): Promise<Commit[]> {
  const changesOf = commits.map(({ changes }) => {
    for (const change of changes) validatePath(change.path);
    return [...new Map(changes.map((c) => [c.path, c])).values()];
  });
  const ending = endLiveVersions(tx, repo.id, changesOf);
  const [locked, endedRows] = await inOrder(lockedRow(repo), ending);
  const live = new Map(endedRows.map((r) => [r.path, r]));
  const entryRows: EntryRow[] = [];
  const commitRows: Record<string, unknown>[] = [];
  const addedHere = new Map<string, EntryRow>();
  let head = locked;
  changesOf.forEach((changes, i) => {
    const seq = locked.headSeq + 1 + i;
    const ended = changes.flatMap((c) => live.get(c.path) ?? []);
    const added: HashedObject[] = [];
    for (const { path, object } of changes) {
      const superseded = addedHere.get(path);
      if (superseded) superseded.to_seq = seq;
      addedHere.delete(path);
      live.delete(path);
      if (!object) continue;
      const row = entryRow(path, seq, object);
      entryRows.push(row);
      addedHere.set(path, row);
      live.set(path, { path, etag: object.etag, size: object.size });
      added.push({ path, etag: object.etag, size: object.size });
    }
    const totals = nextTotals(head, ended, added);
    const createdAt = new Date();
    const id = newCommitId(locked.id, seq, head.headCommitId, totals.contentHash, createdAt);
    const { message, metadata, committer, approver } = commits[i]!.opts;
    commitRows.push({
      seq, id, parent_id: head.headCommitId, message, metadata: metadata ?? {}, committer_type: committer?.type ?? null,
      committer_id: committer?.id ?? null, committer_name: committer?.name ?? '', approver_type: approver?.type ?? null,
      approver_id: approver?.id ?? null, approver_name: approver?.name ?? null, content_hash: totals.contentHash,
      object_count: totals.objectCount, total_size: totals.totalSize, change_count: new Set([...ended, ...added].map((r) => r.path)).size,
      created_at: createdAt.toISOString(),
    });
    head = { ...head, headSeq: seq, headCommitId: id, ...totals };
  });
  const write = opts.commit ? tx.queryAndCommit.bind(tx) : tx.query.bind(tx);
  const { rows } = await write(
    `WITH added AS (
       INSERT INTO entries (repo_id, path, from_seq, to_seq, address, size, etag, content_type, user_metadata,
         http_headers, checksums, source_metadata, last_modified)
       SELECT $1, e.path, e.from_seq, e.to_seq, e.address, e.size, e.etag, e.content_type, e.user_metadata, e.http_headers,
         e.checksums, e.source_metadata, c.created_at
       FROM jsonb_to_recordset($2::jsonb) AS e(path text, from_seq bigint, to_seq bigint, address text, size bigint, etag text,
         content_type text, user_metadata jsonb, http_headers jsonb, checksums jsonb, source_metadata jsonb)
       JOIN jsonb_to_recordset($3::jsonb) AS c(seq bigint, created_at timestamptz) ON c.seq = e.from_seq
     ), moved AS (
       UPDATE repositories SET head_seq = $4, head_commit_id = $5, content_hash = $6, object_count = $7, total_size = $8
       WHERE id = $1
     )
     INSERT INTO commits (repo_id, seq, id, parent_id, message, metadata, committer_type, committer_id, committer_name,
       approver_type, approver_id, approver_name, content_hash, object_count, total_size, change_count, created_at)
     SELECT $1, c.seq, c.id, c.parent_id, c.message, c.metadata, c.committer_type, c.committer_id, c.committer_name,
       c.approver_type, c.approver_id, c.approver_name, c.content_hash, c.object_count, c.total_size, c.change_count, c.created_at
     FROM jsonb_to_recordset($3::jsonb) AS c(seq bigint, id text, parent_id text, message text, metadata jsonb,
       committer_type text, committer_id uuid, committer_name text, approver_type text, approver_id uuid, approver_name text,
       content_hash text, object_count bigint, total_size bigint, change_count integer, created_at timestamptz)
     RETURNING *`,
    [locked.id, JSON.stringify(entryRows), JSON.stringify(commitRows), head.headSeq, head.headCommitId, head.contentHash,
      head.objectCount, head.totalSize],
  );
  return rows.map(toCommit).sort((a, b) => a.seq - b.seq);
}

interface EntryRow {
  path: string;
  from_seq: number;
  to_seq: number | null;
  address: string;
  size: number;
  etag: string;
  content_type: string;
  user_metadata: Record<string, string>;
  http_headers: Record<string, string>;
  checksums: ObjectData['checksums'];
  source_metadata: Record<string, unknown> | null;
}

function entryRow(path: string, seq: number, o: ObjectData): EntryRow {
  return {
    path, from_seq: seq, to_seq: null, address: o.address, size: o.size, etag: o.etag, content_type: o.contentType,
    user_metadata: o.userMetadata, http_headers: o.httpHeaders, checksums: o.checksums, source_metadata: o.sourceMetadata,
  };
}

/**
 * Ends each touched path's live version at the first of the commits that touches it, counted
 * from the locked head (`step` 1 is head+1). Each path's live version is found by a probe of
 * its own into the live-path index, and the UPDATE reaches the rows by their tids only: a plan
 * that holds whatever the planner knows. Written as a join on the paths, with or without
 * `path = ANY`, a catalog without statistics (PGlite never analyzes by itself; PostgreSQL waits
 * for autovacuum) read every live entry of the repository (PostgreSQL 15, filtering them) or
 * skip-scanned the index by commit for each path (PostgreSQL 18, in PGlite): costs that grew
 * with the repository and its history.
 */
function endLiveVersions(tx: Queryable, repoId: string, changesOf: Change[][]): Promise<HashedObject[]> {
  const firstStep = new Map<string, number>();
  changesOf.forEach((changes, i) => {
    for (const { path } of changes) if (!firstStep.has(path)) firstStep.set(path, 1 + i);
  });
  if (firstStep.size === 0) return Promise.resolve([]);
  return tx
    .query<HashedObject>(
      `UPDATE entries e SET to_seq = r.head_seq + x.step
       FROM repositories r, (
         SELECT (SELECT l.ctid FROM entries l WHERE l.repo_id = $1 AND l.path = p.path AND l.to_seq IS NULL) AS tid, p.step
         FROM unnest($2::text[], $3::bigint[]) AS p(path, step)) AS x
       WHERE r.id = $1 AND e.ctid = x.tid
       RETURNING e.path, e.etag, e.size`,
      [repoId, [...firstStep.keys()], [...firstStep.values()]],
    )
    .then(({ rows }) => rows);
}

/** Both results, once both have settled; the first failure in order if either failed. */
async function inOrder<A, B>(first: Promise<A> | A, second: Promise<B>): Promise<[A, B]> {
  const [a, b] = await Promise.allSettled([first, second]);
  if (a.status === 'rejected') throw a.reason;
  if (b.status === 'rejected') throw b.reason;
  return [a.value, b.value];
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
