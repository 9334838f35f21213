// Sessions: a workspace on top of the commit that was latest when it opened. Staging takes a
// share lock on the session row and committing an exclusive one, so a change either lands in
// the commit or is refused because the session has ended: none is lost in between.
import { randomUUID } from 'node:crypto';
import { InvalidError, NotFoundError } from '../../errors.js';
import type { Db, Queryable } from '../db.js';
import type { Actor, ObjectData, Page, Session, SessionStatus, StagedChange } from '../types.js';
import { MAX_PATH_BYTES } from './keys.js';
import { pageOf } from './repositories.js';
import { OBJECT_DATA_COLUMNS, toObjectData, toSession } from './rows.js';

export interface OpenSessionOptions {
  owner?: Actor | null;
  expiresAt?: Date | null;
}

export async function openSession(db: Db, repoId: string, opts: OpenSessionOptions = {}): Promise<Session> {
  const { rows } = await db.query(
    `INSERT INTO sessions (id, repo_id, base_seq, owner_type, owner_id, owner_name, expires_at)
     SELECT $1, id, head_seq, $3, $4, $5, $6 FROM repositories WHERE id = $2 AND deleted_at IS NULL
     RETURNING *`,
    [randomUUID(), repoId, opts.owner?.type ?? null, opts.owner?.id ?? null, opts.owner?.name ?? '', opts.expiresAt ?? null],
  );
  if (!rows[0]) throw new NotFoundError('repository');
  return toSession(rows[0]);
}

export async function getSession(q: Queryable, sessionId: string): Promise<Session> {
  const { rows } = await q.query('SELECT * FROM sessions WHERE id = $1', [sessionId]);
  if (!rows[0]) throw new NotFoundError('session', `session ${sessionId} not found`);
  return toSession(rows[0]);
}

/** Locks the session row and checks it is in one of the given states. */
export async function lockSession(
  tx: Queryable,
  sessionId: string,
  mode: 'FOR SHARE' | 'FOR UPDATE',
  allowed: SessionStatus[] = ['open'],
): Promise<Session> {
  const { rows } = await tx.query(`SELECT * FROM sessions WHERE id = $1 ${mode}`, [sessionId]);
  if (!rows[0]) throw new NotFoundError('session', `session ${sessionId} not found`);
  const session = toSession(rows[0]);
  if (!allowed.includes(session.status)) {
    throw new NotFoundError('session', `session ${sessionId} is ${session.status.replace('_', ' ')}`);
  }
  if (session.expiresAt && session.expiresAt.getTime() < Date.now()) {
    throw new NotFoundError('session', `session ${sessionId} has expired`);
  }
  return session;
}

export function validatePath(path: string): void {
  if (path.length === 0) throw new InvalidError('path must not be empty', 'path');
  if (path.includes('\0')) throw new InvalidError('path must not contain NUL', 'path');
  if (Buffer.byteLength(path, 'utf8') > MAX_PATH_BYTES) {
    throw new InvalidError(`path must be at most ${MAX_PATH_BYTES} bytes of UTF-8`, 'path');
  }
}

export interface Change {
  path: string;
  /** The new version, or null for a delete. */
  object: ObjectData | null;
}

/** Stages a put or a delete of each path; a later change of a path replaces an earlier one. */
export async function stageChanges(db: Db, sessionId: string, changes: Change[]): Promise<void> {
  await db.withTx(async (tx) => {
    await lockSession(tx, sessionId, 'FOR SHARE');
    await stageInTx(tx, sessionId, changes);
  });
}

/** The insert behind stageChanges, for callers that already hold the session. */
export async function stageInTx(tx: Queryable, sessionId: string, changes: Change[]): Promise<void> {
  for (const change of changes) validatePath(change.path);
  // One statement for any number of changes: the batch travels as one JSON document.
  const lastChangePerPath = [...new Map(changes.map((c) => [c.path, c])).values()];
  const batch = JSON.stringify(
    lastChangePerPath.map(({ path, object }) => ({
      path,
      address: object?.address ?? null,
      size: object?.size ?? null,
      etag: object?.etag ?? null,
      content_type: object?.contentType ?? null,
      user_metadata: object?.userMetadata ?? null,
      http_headers: object?.httpHeaders ?? null,
      checksums: object?.checksums ?? null,
      source_metadata: object?.sourceMetadata ?? null,
    })),
  );
  await tx.query(
    `INSERT INTO staged_changes (session_id, path, ${OBJECT_DATA_COLUMNS}, staged_at)
     SELECT $1, c.path, c.address, c.size, c.etag, c.content_type, c.user_metadata,
            c.http_headers, c.checksums, c.source_metadata, now()
     FROM jsonb_to_recordset($2::jsonb) AS c(path text, address text, size bigint, etag text,
            content_type text, user_metadata jsonb, http_headers jsonb, checksums jsonb, source_metadata jsonb)
     ON CONFLICT (session_id, path) DO UPDATE SET
       address = excluded.address, size = excluded.size, etag = excluded.etag,
       content_type = excluded.content_type, user_metadata = excluded.user_metadata,
       http_headers = excluded.http_headers, checksums = excluded.checksums,
       source_metadata = excluded.source_metadata, staged_at = excluded.staged_at`,
    [sessionId, batch],
  );
}

export const stagePut = (db: Db, sessionId: string, path: string, object: ObjectData): Promise<void> =>
  stageChanges(db, sessionId, [{ path, object }]);

export const stageDelete = (db: Db, sessionId: string, path: string): Promise<void> =>
  stageChanges(db, sessionId, [{ path, object: null }]);

/** Drops a staged change (puts and deletes alike) without touching the commit it reads. */
export async function unstage(db: Db, sessionId: string, path: string): Promise<boolean> {
  return db.withTx(async (tx) => {
    await lockSession(tx, sessionId, 'FOR SHARE');
    const { rowCount } = await tx.query('DELETE FROM staged_changes WHERE session_id = $1 AND path = $2', [sessionId, path]);
    return rowCount > 0;
  });
}

export async function listChanges(
  q: Queryable,
  sessionId: string,
  opts: { prefix?: string; after?: string | null; limit: number },
): Promise<Page<StagedChange>> {
  const { rows } = await q.query(
    `SELECT * FROM staged_changes WHERE session_id = $1 AND path > $2 AND starts_with(path, $3)
     ORDER BY path LIMIT $4`,
    [sessionId, opts.after ?? '', opts.prefix ?? '', opts.limit + 1],
  );
  const changes = rows.map((r) => ({
    path: r.path as string,
    object: r.address === null ? null : toObjectData(r),
    stagedAt: r.staged_at as Date,
  }));
  return pageOf(changes, opts.limit, (c) => c.path);
}

/** Ends an open (or pending) session without committing; its staged blobs become garbage. */
export async function rollbackSession(db: Db, sessionId: string): Promise<void> {
  await db.withTx(async (tx) => {
    await lockSession(tx, sessionId, 'FOR UPDATE', ['open', 'pending_approval']);
    await endSession(tx, sessionId, 'rolled_back', null);
  });
}

/** Marks a locked session ended, drops its staged changes and revokes its credentials. */
export async function endSession(tx: Queryable, sessionId: string, status: SessionStatus, commitId: string | null): Promise<void> {
  await tx.query('UPDATE sessions SET status = $2, commit_id = $3, ended_at = now() WHERE id = $1', [sessionId, status, commitId]);
  await tx.query('DELETE FROM staged_changes WHERE session_id = $1', [sessionId]);
  await tx.query('UPDATE api_keys SET revoked_at = now() WHERE session_id = $1 AND revoked_at IS NULL', [sessionId]);
}

/** Freezes a session awaiting approval (its owner's policy requires review). */
export async function markPendingApproval(
  db: Db,
  sessionId: string,
  message: string,
  metadata: Record<string, string>,
): Promise<Session> {
  return db.withTx(async (tx) => {
    await lockSession(tx, sessionId, 'FOR UPDATE');
    const { rows } = await tx.query(
      `UPDATE sessions SET status = 'pending_approval', needs_approval = true, message = $2, metadata = $3
       WHERE id = $1 RETURNING *`,
      [sessionId, message, metadata],
    );
    return toSession(rows[0]!);
  });
}

export async function setNeedsApproval(q: Queryable, sessionId: string): Promise<void> {
  await q.query('UPDATE sessions SET needs_approval = true WHERE id = $1 AND NOT needs_approval', [sessionId]);
}
