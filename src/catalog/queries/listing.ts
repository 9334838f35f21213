// Listing one view of a repository: keyset-paginated on the path; with a delimiter, common
// prefixes are found by seeking past each one with an index probe (a recursive "loose index
// scan"), never by scanning the keys under it.
//
// A listing reads either whole entries (the REST API shows them) or summaries, the five fields
// a listing of keys shows (S3's Contents): half the catalog work per page, since a page ships
// every column it selects for up to a thousand entries.
import { InvalidError } from '../../errors.js';
import type { Queryable } from '../db.js';
import type { ObjectEntry, Page } from '../types.js';
import { queryRowsAsJson } from './json-rows.js';
import { commonPrefixOf, compareKeys, prefixSuccessor } from './keys.js';
import { Params } from './params.js';
import { ENTRY_COLUMN_LIST, toEntry } from './rows.js';
import { ViewSql, type View } from './view-sql.js';

export interface ListOptions {
  prefix?: string;
  delimiter?: string;
  /** Exclusive lower bound on keys (S3 start-after / marker). */
  after?: string | null;
  /** A previous page's `next`: resumes after it, past the whole common prefix if it is one. */
  cursor?: string | null;
  limit: number;
}

/** What a listing of keys shows of an object. */
export type ObjectSummary = Pick<ObjectEntry, 'path' | 'size' | 'etag' | 'checksums' | 'lastModified' | 'staged'>;

export type ListItem<E extends ObjectSummary = ObjectEntry> = { type: 'object'; path: string; entry: E } | { type: 'prefix'; path: string };

export const MAX_LIST_LIMIT = 1000;

type Row = Record<string, unknown>;

/** The columns a listing reads, and what it builds of a row (a committed or a staged one). */
interface Shape<E> {
  columns: readonly string[];
  build(row: Row, staged: boolean): E;
}

/** How a staged change supplies each entry column (it has no commit range; staged_at is its time). */
const STAGED_COLUMNS: Readonly<Record<string, string>> = {
  path: 's.path', from_seq: '0::bigint', to_seq: 'NULL::bigint', address: 's.address', size: 's.size', etag: 's.etag',
  content_type: 's.content_type', user_metadata: 's.user_metadata', http_headers: 's.http_headers', checksums: 's.checksums',
  source_metadata: 's.source_metadata', last_modified: 's.staged_at',
};

const stagedSelect = (shape: Shape<unknown>) => shape.columns.map((c) => `${STAGED_COLUMNS[c]} AS ${c}`).join(', ');

const ENTRIES: Shape<ObjectEntry> = {
  columns: ENTRY_COLUMN_LIST,
  build(row, staged) {
    const entry = toEntry(row);
    if (staged) Object.assign(entry, { staged: true, fromSeq: 0 });
    return entry;
  },
};

const SUMMARIES: Shape<ObjectSummary> = {
  columns: ['path', 'size', 'etag', 'checksums', 'last_modified'],
  build: (row, staged) => ({
    path: row.path as string,
    size: row.size as number,
    etag: row.etag as string,
    checksums: (row.checksums ?? {}) as ObjectSummary['checksums'],
    lastModified: row.last_modified as Date,
    staged,
  }),
};

/** A page of the view's entries. */
export function listObjects(q: Queryable, view: View, opts: ListOptions): Promise<Page<ListItem>> {
  return list(q, view, opts, ENTRIES);
}

/** A page of the view's objects as summaries. */
export function listSummaries(q: Queryable, view: View, opts: ListOptions): Promise<Page<ListItem<ObjectSummary>>> {
  return list(q, view, opts, SUMMARIES);
}

/** Reads several paths of one view at once (the paths a delimiter listing found). */
export function getObjects(q: Queryable, view: View, paths: string[]): Promise<Map<string, ObjectEntry>> {
  return getShaped(q, view, paths, ENTRIES);
}

async function getShaped<E>(q: Queryable, view: View, paths: string[], shape: Shape<E>): Promise<Map<string, E>> {
  const found = new Map<string, E>();
  if (paths.length === 0) return found;
  const p = new Params();
  const v = new ViewSql(view, p);
  const list = p.add(paths);
  const rows = await queryRowsAsJson(q,
    `SELECT ${shape.columns.join(', ')} FROM entries e
     WHERE e.repo_id = ${v.repo} AND e.path = ANY(${list}::text[]) AND ${v.visible('e')} ${v.notShadowed('e')}`,
    p.values, shape.columns, { orderBy: 'x.path', dates: ['last_modified'] });
  for (const row of rows) found.set(row.path as string, shape.build(row, false));
  if (v.session) {
    const staged = await q.query(
      `SELECT ${stagedSelect(shape)} FROM staged_changes s WHERE s.session_id = $1 AND s.path = ANY($2::text[]) AND s.address IS NOT NULL`,
      [view.sessionId!, paths],
    );
    for (const row of staged.rows) found.set(row.path as string, shape.build(row, true));
  }
  return found;
}

async function list<E extends ObjectSummary>(q: Queryable, view: View, opts: ListOptions, shape: Shape<E>): Promise<Page<ListItem<E>>> {
  if (opts.limit < 1 || opts.limit > MAX_LIST_LIMIT) throw new InvalidError(`limit must be between 1 and ${MAX_LIST_LIMIT}`);
  const prefix = opts.prefix ?? '';
  const delimiter = opts.delimiter ?? '';
  const bound = lowerBound(prefix, delimiter, opts);
  const end = prefix ? prefixSuccessor(prefix) : null;
  const items = delimiter
    ? await walkWithDelimiter(q, view, { prefix, delimiter, bound, end, limit: opts.limit + 1 }, shape)
    : await listFlat(q, view, { bound, end, limit: opts.limit + 1 }, shape);
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

async function listFlat<E extends ObjectSummary>(q: Queryable, view: View, range: Range, shape: Shape<E>): Promise<ListItem<E>[]> {
  const p = new Params();
  const v = new ViewSql(view, p);
  const bound = p.add(range.bound);
  const endE = range.end === null ? '' : `AND e.path < ${p.add(range.end)}`;
  const limit = p.add(range.limit);
  const committed = `(SELECT ${shape.columns.join(', ')}, false AS staged FROM entries e
      WHERE e.repo_id = ${v.repo} AND e.path >= ${bound} ${endE} AND ${v.visible('e')} ${v.notShadowed('e')}
      ORDER BY e.path LIMIT ${limit})`;
  const staged = v.session
    ? `UNION ALL (SELECT ${stagedSelect(shape)}, true FROM staged_changes s
        WHERE s.session_id = ${v.session} AND s.address IS NOT NULL AND s.path >= ${bound} ${endE.replaceAll('e.', 's.')}
        ORDER BY s.path LIMIT ${limit})`
    : '';
  const rows = await queryRowsAsJson(q, `SELECT * FROM (${committed} ${staged}) y ORDER BY path LIMIT ${limit}`, p.values,
    [...shape.columns, 'staged'], { orderBy: 'x.path', dates: ['last_modified'] });
  return rows.map((row) => {
    const entry = shape.build(row, row.staged === true);
    return { type: 'object' as const, path: entry.path, entry };
  });
}

async function walkWithDelimiter<E extends ObjectSummary>(
  q: Queryable,
  view: View,
  range: Range & { prefix: string; delimiter: string },
  shape: Shape<E>,
): Promise<ListItem<E>[]> {
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
  const items: Array<ListItem<E> | { type: 'pending'; path: string }> = rows.map(({ path }) => {
    const rolledUp = commonPrefixOf(path, range.prefix, range.delimiter);
    return rolledUp ? { type: 'prefix', path: rolledUp } : { type: 'pending', path };
  });
  const keys = items.filter((i) => i.type === 'pending').map((i) => i.path);
  const entries = await getShaped(q, view, keys, shape);
  return items.flatMap((item): ListItem<E>[] => {
    if (item.type === 'prefix') return [item];
    const entry = entries.get(item.path);
    return entry ? [{ type: 'object', path: item.path, entry }] : [];
  });
}

/**
 * The paths whose latest version changed in commits after `afterSeq` up to `throughSeq`
 * (written or deleted), or null when there are more than `limit`. Two index ranges
 * (entries_born, entries_ended): the cost follows the number of changes, not of keys.
 */
export async function pathsChangedBetween(q: Queryable, repoId: string, afterSeq: number, throughSeq: number, limit: number): Promise<string[] | null> {
  const { rows } = await q.query(
    `SELECT path FROM entries WHERE repo_id = $1 AND from_seq > $2 AND from_seq <= $3
     UNION
     SELECT path FROM entries WHERE repo_id = $1 AND to_seq > $2 AND to_seq <= $3
     LIMIT $4`,
    [repoId, afterSeq, throughSeq, limit + 1],
  );
  return rows.length > limit ? null : rows.map((r) => r.path as string);
}

/**
 * Whether a change to `path` could change `page`, a page listed with `opts`: the path falls
 * where the page begins (its lower bound) up to its last item (through the whole common prefix
 * if that is what it ends with), or anywhere after it when the page is the listing's last.
 * A path outside that span changes pages before or after it, never this one.
 */
export function pageMayShow(opts: ListOptions, page: Page<ListItem<ObjectSummary>>, path: string): boolean {
  const prefix = opts.prefix ?? '';
  if (!path.startsWith(prefix)) return false;
  if (compareKeys(path, lowerBound(prefix, opts.delimiter ?? '', opts)) < 0) return false;
  if (!page.hasMore) return true;
  const last = page.items[page.items.length - 1];
  if (!last) return true;
  return compareKeys(path, last.path) <= 0 || (last.type === 'prefix' && path.startsWith(last.path));
}
