// Many rows shipped as one value. Both drivers pay per field returned (PGlite most: a
// 1,000-entry page of 12 columns costs about 20 ms to hand over as rows, 3 ms as one JSON
// array built by the server), so queries that return pages aggregate them server-side.
import type { Queryable, SqlParam } from '../db.js';

type Row = Record<string, unknown>;

/**
 * Runs `sql`, which selects at least `columns`, and returns its rows ordered by `orderBy` (an
 * expression over those columns, qualified as `x.`), as if selected one by one. Columns named in
 * `dates` come back as Dates, as the drivers return timestamps.
 */
export async function queryRowsAsJson(
  q: Queryable,
  sql: string,
  params: readonly SqlParam[],
  columns: readonly string[],
  opts: { orderBy: string; dates?: readonly string[] },
): Promise<Row[]> {
  const { rows } = await q.query<{ page: unknown[][] }>(
    `SELECT coalesce(json_agg(json_build_array(${columns.map((c) => `x.${c}`).join(', ')}) ORDER BY ${opts.orderBy}), '[]'::json) AS page
     FROM (${sql}) x`,
    params,
  );
  const dates = opts.dates ?? [];
  return rows[0]!.page.map((values) => {
    const row: Row = {};
    columns.forEach((column, i) => (row[column] = values[i] ?? null));
    for (const column of dates) if (typeof row[column] === 'string') row[column] = new Date(row[column] as string);
    return row;
  });
}
