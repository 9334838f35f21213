// Differences between two commits, or between a session and its base. Candidates are the paths
// whose versions start or end inside the range of sequence numbers (found through the
// entries_born and entries_ended indexes), so the cost is O(changes between them).
import { isDeepStrictEqual } from 'node:util';
import type { Queryable } from '../db.js';
import type { DiffEntry, DiffStatus, ObjectEntry, Page } from '../types.js';
import { prefixSuccessor } from './keys.js';
import { Params } from './params.js';
import { getObjects, type View } from './reads.js';

export interface DiffOptions {
  prefix?: string;
  after?: string | null;
  limit: number;
}

/** Candidate paths after `after`, in order: paths that may differ between the two sides. */
type CandidateSource = (after: string, limit: number) => Promise<string[]>;

export async function diffCommits(
  q: Queryable,
  repoId: string,
  leftSeq: number,
  rightSeq: number,
  opts: DiffOptions,
): Promise<Page<DiffEntry>> {
  const [lo, hi] = leftSeq <= rightSeq ? [leftSeq, rightSeq] : [rightSeq, leftSeq];
  const candidates: CandidateSource = async (after, limit) => {
    const p = new Params();
    const range = `repo_id = ${p.add(repoId)} AND path > ${p.add(after)} ${prefixBounds(p, opts.prefix)}`;
    const [from, to] = [p.add(lo), p.add(hi)];
    const { rows } = await q.query<{ path: string }>(
      `SELECT path FROM (
         SELECT path FROM entries WHERE ${range} AND from_seq > ${from} AND from_seq <= ${to}
         UNION
         SELECT path FROM entries WHERE ${range} AND to_seq > ${from} AND to_seq <= ${to}
       ) changed ORDER BY path LIMIT ${p.add(limit)}`,
      p.values,
    );
    return rows.map((r) => r.path);
  };
  return diffViews(q, { repoId, seq: leftSeq }, { repoId, seq: rightSeq }, candidates, opts);
}

/** What a session would change on top of its base commit. */
export async function diffSession(
  q: Queryable,
  repoId: string,
  sessionId: string,
  baseSeq: number,
  opts: DiffOptions,
): Promise<Page<DiffEntry>> {
  const candidates: CandidateSource = async (after, limit) => {
    const p = new Params();
    const { rows } = await q.query<{ path: string }>(
      `SELECT path FROM staged_changes WHERE session_id = ${p.add(sessionId)} AND path > ${p.add(after)}
       ${prefixBounds(p, opts.prefix)} ORDER BY path LIMIT ${p.add(limit)}`,
      p.values,
    );
    return rows.map((r) => r.path);
  };
  return diffViews(q, { repoId, seq: baseSeq }, { repoId, seq: baseSeq, sessionId }, candidates, opts);
}

function prefixBounds(p: Params, prefix: string | undefined): string {
  if (!prefix) return '';
  const end = prefixSuccessor(prefix);
  return `AND path >= ${p.add(prefix)}${end === null ? '' : ` AND path < ${p.add(end)}`}`;
}

/** Two versions are the same object when content and what describes it are equal. */
export function sameObject(a: ObjectEntry, b: ObjectEntry): boolean {
  return a.etag === b.etag && a.size === b.size && a.contentType === b.contentType &&
    isDeepStrictEqual(a.userMetadata, b.userMetadata);
}

function statusOf(left: ObjectEntry | undefined, right: ObjectEntry | undefined): DiffStatus | null {
  if (!left && right) return 'added';
  if (left && !right) return 'removed';
  if (left && right && !sameObject(left, right)) return 'modified';
  return null;
}

async function diffViews(
  q: Queryable,
  left: View,
  right: View,
  candidates: CandidateSource,
  opts: DiffOptions,
): Promise<Page<DiffEntry>> {
  const found: DiffEntry[] = [];
  let after = opts.after ?? '';
  // Some candidates turn out unchanged (changed and changed back): keep reading until a page is full.
  for (;;) {
    const batch = await candidates(after, opts.limit + 1);
    const [leftEntries, rightEntries] = await Promise.all([getObjects(q, left, batch), getObjects(q, right, batch)]);
    for (const path of batch) {
      const [l, r] = [leftEntries.get(path), rightEntries.get(path)];
      const status = statusOf(l, r);
      if (status) found.push({ path, status, entry: (status === 'removed' ? l : r)! });
    }
    if (found.length > opts.limit || batch.length <= opts.limit) break;
    after = batch[batch.length - 1]!;
  }
  const hasMore = found.length > opts.limit;
  const items = found.slice(0, opts.limit);
  return { items, hasMore, next: hasMore ? items[items.length - 1]!.path : null };
}
