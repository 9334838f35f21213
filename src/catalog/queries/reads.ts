// Reading a repository as of one view: the latest commit, any commit, or a session (its base
// commit overlaid with its staged changes). Listing is keyset-paginated on the path; with a
// delimiter, common prefixes are found by seeking past each one with an index probe (a
// recursive "loose index scan"), never by scanning the keys under it.
import { GoneError, InvalidError, NotFoundError } from '../../errors.js';
import type { Queryable } from '../db.js';
import type { ObjectEntry, Page, Repository } from '../types.js';
import { commonPrefixOf, compareKeys, prefixSuccessor } from './keys.js';
import { Params } from './params.js';
import { queryRowsAsJson } from './json-rows.js';
import { ENTRY_COLUMN_LIST, ENTRY_COLUMNS, stagedToEntry, toEntry, toRepository } from './rows.js';

export interface View {
  repoId: string;
  /** The commit sequence number to read at, or 'head' for whatever is latest. */
  seq: number | 'head';
  /** A session whose staged changes overlay the commit. */
  sessionId?: string | null;
}

export interface ListOptions {
  prefix?: string;
  delimiter?: string;
  /** Exclusive lower bound on keys (S3 start-after / marker). */
  after?: string | null;
  /** A previous page's `next`: resumes after it, past the whole common prefix if it is one. */
  cursor?: string | null;
  limit: number;
}

export type ListItem = { type: 'object'; path: string; entry: ObjectEntry } | { type: 'prefix'; path: string };

export const MAX_LIST_LIMIT = 1000;

/** The placeholders one view's SQL needs, allocated once per query. */
class ViewSql {
  readonly repo: string;
  private readonly seq: string | null;
  readonly session: string | null;

  constructor(readonly view: View, readonly p: Params) {
    this.repo = p.add(view.repoId);
    this.seq = view.seq === 'head' ? null : p.add(view.seq);
    this.session = view.sessionId ? p.add(view.sessionId) : null;
  }

  visible(alias: string): string {
    if (this.seq === null) return `${alias}.to_seq IS NULL`;
    return `${alias}.from_seq <= ${this.seq} AND (${alias}.to_seq IS NULL OR ${alias}.to_seq > ${this.seq})`;
  }

  notShadowed(alias: string): string {
    if (!this.session) return '';
    return `AND NOT EXISTS (SELECT 1 FROM staged_changes sh WHERE sh.session_id = ${this.session} AND sh.path = ${alias}.path)`;
  }
}

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
    `SELECT r.*, ${PREFIXED_ENTRY_COLUMNS}
     FROM (SELECT * FROM repositories WHERE org_id = $1 AND name = $2 ORDER BY deleted_at DESC NULLS FIRST LIMIT 1) r
     LEFT JOIN entries e ON r.deleted_at IS NULL AND e.repo_id = r.id AND e.path = $3 AND e.to_seq IS NULL`,
    [orgId, name, path],
  );
  const row = rows[0];
  if (!row) throw new NotFoundError('repository', `repository ${name} not found`);
  const repo = toRepository(row);
  if (repo.deletedAt) throw new GoneError(`repository ${name} was deleted`);
  if (row.e_path === null || row.e_path === undefined) return { repo, entry: null };
  const entryRow: Record<string, unknown> = {};
  for (const column of ENTRY_COLUMN_LIST) entryRow[column] = row[`e_${column}`];
  return { repo, entry: toEntry(entryRow) };
}

/** Reads several paths of one view at once (the paths a delimiter listing found). */
export async function getObjects(q: Queryable, view: View, paths: string[]): Promise<Map<string, ObjectEntry>> {
  const found = new Map<string, ObjectEntry>();
  if (paths.length === 0) return found;
  const p = new Params();
  const v = new ViewSql(view, p);
  const list = p.add(paths);
  const rows = await queryRowsAsJson(q,
    `SELECT ${ENTRY_COLUMNS} FROM entries e
     WHERE e.repo_id = ${v.repo} AND e.path = ANY(${list}::text[]) AND ${v.visible('e')} ${v.notShadowed('e')}`,
    p.values, ENTRY_COLUMN_LIST, { orderBy: 'x.path', dates: ['last_modified'] });
  for (const row of rows) found.set(row.path as string, toEntry(row));
  if (v.session) {
    const staged = await q.query(
      'SELECT * FROM staged_changes WHERE session_id = $1 AND path = ANY($2::text[]) AND address IS NOT NULL',
      [view.sessionId!, paths],
    );
    for (const row of staged.rows) found.set(row.path as string, stagedToEntry(row));
  }
  return found;
}

export async function listObjects(q: Queryable, view: View, opts: ListOptions): Promise<Page<ListItem>> {
  if (opts.limit < 1 || opts.limit > MAX_LIST_LIMIT) throw new InvalidError(`limit must be between 1 and ${MAX_LIST_LIMIT}`);
  const prefix = opts.prefix ?? '';
  const delimiter = opts.delimiter ?? '';
  const bound = lowerBound(prefix, delimiter, opts);
  const end = prefix ? prefixSuccessor(prefix) : null;
  const items = delimiter
    ? await walkWithDelimiter(q, view, { prefix, delimiter, bound, end, limit: opts.limit + 1 })
    : await listFlat(q, view, { bound, end, limit: opts.limit + 1 });
  const hasMore = items.length > opts.limit;
  const page = hasMore ? items.slice(0, opts.limit) : items;
  return { items: page, hasMore, next: hasMore ? page[page.length - 1]!.path : null };
}

/** The smallest key a page may start at: past `after`, past the cursor (and its prefix). */
function lowerBound(prefix: string, delimiter: string, opts: ListOptions): string {
  const candidates = [prefix];
  if (opts.after) candidates.push(`${opts.after}\u0001`);
  if (opts.cursor) {
    const rolledUp = commonPrefixOf(opts.cursor, prefix, delimiter);
    const skipTo = rolledUp === opts.cursor ? prefixSuccessor(rolledUp) : `${opts.cursor}\u0001`;
    candidates.push(skipTo ?? '\u{10ffff}'.repeat(MAX_LIST_LIMIT));
  }
  return candidates.reduce((a, b) => (compareKeys(a, b) >= 0 ? a : b));
}

interface Range {
  bound: string;
  end: string | null;
  limit: number;
}

async function listFlat(q: Queryable, view: View, range: Range): Promise<ListItem[]> {
  const p = new Params();
  const v = new ViewSql(view, p);
  const bound = p.add(range.bound);
  const endE = range.end === null ? '' : `AND e.path < ${p.add(range.end)}`;
  const limit = p.add(range.limit);
  const committed = `(SELECT ${ENTRY_COLUMNS}, false AS staged FROM entries e
      WHERE e.repo_id = ${v.repo} AND e.path >= ${bound} ${endE} AND ${v.visible('e')} ${v.notShadowed('e')}
      ORDER BY e.path LIMIT ${limit})`;
  const staged = v.session
    ? `UNION ALL (SELECT s.path, 0::bigint, NULL::bigint, s.address, s.size, s.etag, s.content_type, s.user_metadata,
          s.http_headers, s.checksums, s.source_metadata, s.staged_at, true FROM staged_changes s
        WHERE s.session_id = ${v.session} AND s.address IS NOT NULL AND s.path >= ${bound} ${endE.replaceAll('e.', 's.')}
        ORDER BY s.path LIMIT ${limit})`
    : '';
  const rows = await queryRowsAsJson(q, `SELECT * FROM (${committed} ${staged}) y ORDER BY path LIMIT ${limit}`, p.values,
    [...ENTRY_COLUMN_LIST, 'staged'], { orderBy: 'x.path', dates: ['last_modified'] });
  return rows.map((row) => {
    const entry = toEntry(row);
    if (row.staged) Object.assign(entry, { staged: true, fromSeq: 0 });
    return { type: 'object' as const, path: entry.path, entry };
  });
}

async function walkWithDelimiter(
  q: Queryable,
  view: View,
  range: Range & { prefix: string; delimiter: string },
): Promise<ListItem[]> {
  const p = new Params();
  const v = new ViewSql(view, p);
  const end = range.end === null ? null : p.add(range.end);
  const prefixLength = p.add(Array.from(range.prefix).length);
  const delimiter = p.add(range.delimiter);
  const delimiterSuccessor = p.add(prefixSuccessor(range.delimiter) ?? range.delimiter);
  const next = (from: string): string => {
    const endE = end ? `AND e.path < ${end}` : '';
    const committed = `(SELECT e.path FROM entries e WHERE e.repo_id = ${v.repo} AND e.path >= ${from} ${endE}
        AND ${v.visible('e')} ${v.notShadowed('e')} ORDER BY e.path LIMIT 1)`;
    if (!v.session) return committed;
    const staged = `(SELECT s.path FROM staged_changes s WHERE s.session_id = ${v.session} AND s.address IS NOT NULL
        AND s.path >= ${from} ${endE.replaceAll('e.', 's.')} ORDER BY s.path LIMIT 1)`;
    return `(SELECT min(c.path) FROM (${committed} UNION ALL ${staged}) c)`;
  };
  // Where to look after path w: past its whole common prefix if it rolls up into one.
  const rest = `substr(w.path, ${prefixLength} + 1)`;
  const skip = `CASE WHEN strpos(${rest}, ${delimiter}) > 0
      THEN left(w.path, ${prefixLength} + strpos(${rest}, ${delimiter}) - 1) || ${delimiterSuccessor}
      ELSE w.path || chr(1) END`;
  const limit = p.add(range.limit);
  const sql = `WITH RECURSIVE walk(path, n) AS (
      SELECT ${next(p.add(range.bound))}, 1
      UNION ALL
      SELECT ${next(`(${skip})`)}, w.n + 1 FROM walk w WHERE w.path IS NOT NULL AND w.n < ${limit}
    ) SELECT path FROM walk WHERE path IS NOT NULL ORDER BY n`;
  const { rows } = await q.query<{ path: string }>(sql, p.values);
  const items: Array<ListItem | { type: 'pending'; path: string }> = rows.map(({ path }) => {
    const rolledUp = commonPrefixOf(path, range.prefix, range.delimiter);
    return rolledUp ? { type: 'prefix', path: rolledUp } : { type: 'pending', path };
  });
  const keys = items.filter((i) => i.type === 'pending').map((i) => i.path);
  const entries = await getObjects(q, view, keys);
  return items.flatMap((item): ListItem[] => {
    if (item.type === 'prefix') return [item];
    const entry = entries.get(item.path);
    return entry ? [{ type: 'object', path: item.path, entry }] : [];
  });
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
