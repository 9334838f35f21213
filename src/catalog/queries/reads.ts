// Reading a repository as of one view: the latest commit, any commit, or a session (its base
// commit overlaid with its staged changes). Listings are in listing.ts.
import type { Queryable } from '../db.js';
import type { ObjectEntry, Repository } from '../types.js';
import { prefixSuccessor } from './keys.js';
import { Params } from './params.js';
import { queryRowsAsJson } from './json-rows.js';
import { liveRepository, REPOSITORY_BY_NAME } from './repositories.js';
import { ENTRY_COLUMN_LIST, ENTRY_COLUMNS, stagedToEntry, toEntry } from './rows.js';
import { ViewSql, type View } from './view-sql.js';

export type { View } from './view-sql.js';
export { getObjects, listObjects, listSummaries, MAX_LIST_LIMIT, pageMayShow, pathsChangedBetween, type ListItem, type ListOptions, type ObjectSummary } from './listing.js';

export async function getObject(q: Queryable, view: View, path: string): Promise<ObjectEntry | null> {
  if (view.sessionId) {
    const { rows } = await q.query('SELECT * FROM staged_changes WHERE session_id = $1 AND path = $2', [view.sessionId, path]);
    const staged = rows[0];
    if (staged) return staged.address === null ? null : stagedToEntry(staged);
  }
  const p = new Params();
  const v = new ViewSql({ ...view, sessionId: null }, p);
  const { rows } = await q.query(
    `SELECT ${ENTRY_COLUMNS} FROM entries e WHERE e.repo_id = ${v.repo} AND e.path = ${p.add(path)} AND ${v.visible('e')}`,
    p.values,
  );
  return rows[0] ? toEntry(rows[0]) : null;
}

/** The entry columns again, each prefixed `e_`, for a query that also returns another row's. */
const PREFIXED_ENTRY_COLUMNS = ENTRY_COLUMN_LIST.map((c) => `e.${c} AS e_${c}`).join(', ');

/**
 * The repository `orgId/name` (as repositories.getRepositoryByName finds it) and the latest
 * version of `path` in it, or null: one round trip for what a plain GET or HEAD needs.
 */
export async function getRepositoryAndLatest(q: Queryable, orgId: string, name: string, path: string): Promise<{ repo: Repository; entry: ObjectEntry | null }> {
  const { rows } = await q.query<Record<string, unknown>>(
    `SELECT r.*, ${PREFIXED_ENTRY_COLUMNS} FROM (${REPOSITORY_BY_NAME}) r
     LEFT JOIN entries e ON r.deleted_at IS NULL AND e.repo_id = r.id AND e.path = $3 AND e.to_seq IS NULL`,
    [orgId, name, path],
  );
  const repo = liveRepository(rows[0], name);
  const row = rows[0]!;
  if (row.e_path === null || row.e_path === undefined) return { repo, entry: null };
  const entryRow: Record<string, unknown> = {};
  for (const column of ENTRY_COLUMN_LIST) entryRow[column] = row[`e_${column}`];
  return { repo, entry: toEntry(entryRow) };
}

/** One version of a path: the entry a commit wrote (its S3 VersionId), or null. */
export async function getVersion(q: Queryable, repoId: string, path: string, fromSeq: number): Promise<ObjectEntry | null> {
  const { rows } = await q.query(`SELECT ${ENTRY_COLUMNS} FROM entries WHERE repo_id = $1 AND path = $2 AND from_seq = $3`, [repoId, path, fromSeq]);
  return rows[0] ? toEntry(rows[0]) : null;
}

/** Every version of every path under a prefix, newest first per path, keyset on (path, from_seq). */
export async function listVersions(
  q: Queryable,
  repoId: string,
  opts: { prefix?: string; afterPath?: string; afterSeq?: number; limit: number },
): Promise<Array<ObjectEntry & { endedByDelete: boolean }>> {
  const p = new Params();
  const repo = p.add(repoId);
  const prefix = opts.prefix ?? '';
  const end = prefix ? prefixSuccessor(prefix) : null;
  const afterPath = p.add(opts.afterPath ?? '');
  const afterSeq = p.add(opts.afterSeq ?? Number.MAX_SAFE_INTEGER);
  const rows = await queryRowsAsJson(q,
    `SELECT ${ENTRY_COLUMNS}, to_seq IS NOT NULL AND NOT EXISTS (
         SELECT 1 FROM entries n WHERE n.repo_id = e.repo_id AND n.path = e.path AND n.from_seq = e.to_seq) AS ended_by_delete
     FROM entries e
     WHERE repo_id = ${repo} AND path >= ${p.add(prefix)} ${end === null ? '' : `AND path < ${p.add(end)}`}
       AND (path > ${afterPath} OR (path = ${afterPath} AND from_seq < ${afterSeq}))
     ORDER BY path, from_seq DESC LIMIT ${p.add(opts.limit)}`,
    p.values, [...ENTRY_COLUMN_LIST, 'ended_by_delete'], { orderBy: 'x.path, x.from_seq DESC', dates: ['last_modified'] });
  return rows.map((r) => ({ ...toEntry(r), endedByDelete: r.ended_by_delete as boolean }));
}
