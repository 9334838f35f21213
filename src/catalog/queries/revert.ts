// Revert: a new commit restoring, for every path commit C touched, the version before C.
// Refused (ConflictError) when a later commit touched any of those paths, and for the root.
import { randomUUID } from 'node:crypto';
import { ConflictError, InvalidError } from '../../errors.js';
import type { Db } from '../db.js';
import type { Actor, Commit } from '../types.js';
import { applyStaged, lockRepository } from './commit.js';
import { getCommitBySeq } from './history.js';
import { endSession } from './sessions.js';

export interface RevertOptions {
  message?: string;
  metadata?: Record<string, string>;
  committer?: Actor | null;
}

export async function revertCommit(db: Db, repoId: string, seq: number, opts: RevertOptions = {}): Promise<Commit> {
  return db.withTx(async (tx) => {
    const repo = await lockRepository(tx, repoId);
    const target = await getCommitBySeq(tx, repoId, seq);
    if (seq === 0) throw new InvalidError('the root commit cannot be reverted');
    const touched = `SELECT DISTINCT path FROM entries WHERE repo_id = $1 AND (from_seq = $2 OR to_seq = $2)`;
    const { rows: conflicts } = await tx.query<{ path: string }>(
      `SELECT t.path FROM (${touched}) t WHERE EXISTS (
         SELECT 1 FROM entries e WHERE e.repo_id = $1 AND e.path = t.path AND (e.from_seq > $2 OR e.to_seq > $2))
       ORDER BY t.path LIMIT 100`,
      [repoId, seq],
    );
    if (conflicts.length > 0) {
      const paths = conflicts.map((r) => r.path);
      throw new ConflictError(`later commits changed ${paths.slice(0, 10).join(', ')}`, paths);
    }
    const sessionId = randomUUID();
    const committer = opts.committer ?? null;
    await tx.query(
      `INSERT INTO sessions (id, repo_id, base_seq, owner_type, owner_id, owner_name) VALUES ($1, $2, $3, $4, $5, $6)`,
      [sessionId, repoId, repo.headSeq, committer?.type ?? null, committer?.id ?? null, committer?.name ?? ''],
    );
    // The version visible just before the target, or a delete where the target created the path.
    await tx.query(
      `INSERT INTO staged_changes (session_id, path, address, size, etag, content_type, user_metadata, http_headers,
         checksums, source_metadata)
       SELECT $3, t.path, e.address, e.size, e.etag, e.content_type, e.user_metadata, e.http_headers, e.checksums,
         e.source_metadata
       FROM (${touched}) t LEFT JOIN entries e ON e.repo_id = $1 AND e.path = t.path AND e.to_seq = $2`,
      [repoId, seq, sessionId],
    );
    const commit = await applyStaged(tx, repo, sessionId, {
      message: opts.message ?? `Revert "${target.message}"`,
      metadata: { ...opts.metadata, reverted_commit: target.id },
      committer,
    });
    await endSession(tx, sessionId, 'committed', commit.id);
    return commit;
  });
}
