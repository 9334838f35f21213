// The history of a repository: commits, the log, and time travel by commit id or prefix.
import { InvalidError, NotFoundError } from '../../errors.js';
import type { Queryable } from '../db.js';
import type { Commit, Page } from '../types.js';
import { prefixSuccessor } from './keys.js';
import { Params } from './params.js';
import { toCommit } from './rows.js';

export const MIN_COMMIT_PREFIX = 8;

export async function getCommitBySeq(q: Queryable, repoId: string, seq: number): Promise<Commit> {
  const { rows } = await q.query('SELECT * FROM commits WHERE repo_id = $1 AND seq = $2', [repoId, seq]);
  if (!rows[0]) throw new NotFoundError('commit', `commit #${seq} not found`);
  return toCommit(rows[0]);
}

/** A commit by its full id or a unique prefix of at least 8 hex characters. */
export async function resolveCommit(q: Queryable, repoId: string, ref: string): Promise<Commit> {
  const id = ref.toLowerCase();
  if (!/^[0-9a-f]+$/.test(id) || id.length < MIN_COMMIT_PREFIX || id.length > 64) {
    throw new NotFoundError('commit', `commit ${ref} not found`);
  }
  const { rows } = await q.query(
    `SELECT * FROM commits WHERE repo_id = $1 AND id >= $2 AND id < $3 ORDER BY id LIMIT 2`,
    [repoId, id, prefixSuccessor(id)!],
  );
  if (rows.length === 0) throw new NotFoundError('commit', `commit ${ref} not found`);
  if (rows.length > 1) throw new InvalidError(`commit prefix ${ref} is ambiguous`, 'ref');
  return toCommit(rows[0]!);
}

export interface LogOptions {
  /** Start from this commit (inclusive); default the latest. */
  fromSeq?: number;
  /** A previous page's `next` (a commit id): continue with older commits. */
  after?: string | null;
  /** Only commits that changed a key under this prefix. */
  prefix?: string;
  /** Only commits that changed exactly this key. */
  path?: string;
  limit: number;
}

/** Commits newest first, keyset-paginated on the sequence number. */
export async function log(q: Queryable, repoId: string, opts: LogOptions): Promise<Page<Commit>> {
  const p = new Params();
  const repo = p.add(repoId);
  const conditions = [`c.repo_id = ${repo}`];
  if (opts.fromSeq !== undefined) conditions.push(`c.seq <= ${p.add(opts.fromSeq)}`);
  if (opts.after) {
    const afterCommit = await resolveCommit(q, repoId, opts.after);
    conditions.push(`c.seq < ${p.add(afterCommit.seq)}`);
  }
  const touching = pathFilter(p, opts);
  if (touching) {
    conditions.push(`(EXISTS (SELECT 1 FROM entries e WHERE e.repo_id = c.repo_id AND e.from_seq = c.seq AND ${touching})
      OR EXISTS (SELECT 1 FROM entries e WHERE e.repo_id = c.repo_id AND e.to_seq = c.seq AND ${touching}))`);
  }
  const { rows } = await q.query(
    `SELECT * FROM commits c WHERE ${conditions.join(' AND ')} ORDER BY c.seq DESC LIMIT ${p.add(opts.limit + 1)}`,
    p.values,
  );
  const commits = rows.map(toCommit);
  const hasMore = commits.length > opts.limit;
  const items = hasMore ? commits.slice(0, opts.limit) : commits;
  return { items, hasMore, next: hasMore ? items[items.length - 1]!.id : null };
}

function pathFilter(p: Params, opts: LogOptions): string | null {
  if (opts.path !== undefined) return `e.path = ${p.add(opts.path)}`;
  if (!opts.prefix) return null;
  const end = prefixSuccessor(opts.prefix);
  return `e.path >= ${p.add(opts.prefix)}${end === null ? '' : ` AND e.path < ${p.add(end)}`}`;
}
