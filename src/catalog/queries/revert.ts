// Revert: a new commit restoring, for every path commit C touched, the version before C.
// Refused (ConflictError) when a later commit touched any of those paths, and for the root.
import { ConflictError, InvalidError } from '../../errors.js';
import type { Db } from '../db.js';
import type { Actor, Commit } from '../types.js';
import { commitOnHead, lockRepository } from './commit.js';
import { getCommitBySeq } from './history.js';

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
    // The version that the target ended (the one before it), or a delete where it created the path.
    return commitOnHead(tx, repo, {
      message: opts.message ?? `Revert "${target.message}"`,
      metadata: { ...opts.metadata, reverted_commit: target.id },
      committer: opts.committer ?? null,
    }, async (sessionId) => {
      await tx.query(
        `INSERT INTO staged_changes (session_id, path, address, size, etag, content_type, user_metadata, http_headers,
           checksums, source_metadata)
         SELECT $3, t.path, e.address, e.size, e.etag, e.content_type, e.user_metadata, e.http_headers, e.checksums,
           e.source_metadata
         FROM (${touched}) t LEFT JOIN entries e ON e.repo_id = $1 AND e.path = t.path AND e.to_seq = $2`,
        [repoId, seq, sessionId],
      );
    });
  });
}
