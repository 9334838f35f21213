// Many rows shipped as one value. Both drivers pay per field returned (PGlite most: a
// 1,000-entry page of 12 columns costs about 33 ms to hand over as rows), so queries that
// return pages aggregate them server-side, one JSON array per column: 8 ms for that page in
// PGlite, against 12 ms for an array per row (json_build_array per row is the costly part).
// The order travels as a row number rather than an ORDER BY in each aggregate, which
// PostgreSQL 15 would carry out as one sort per column (7 ms for the page there, against 9).
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
  const { rows } = await q.query<{ page: Array<unknown[] | null> }>(
    `SELECT json_build_array(json_agg(o.trove_row_number), ${columns.map((c) => `json_agg(o.${c})`).join(', ')}) AS page
     FROM (SELECT row_number() OVER (ORDER BY ${opts.orderBy}) AS trove_row_number, x.* FROM (${sql}) x) o`,
    params,
  );
  // Over no rows every json_agg is NULL.
  const [numbers, ...values] = rows[0]!.page as [number[] | null, ...unknown[][]];
  const count = numbers?.length ?? 0;
  const dates = new Set(opts.dates ?? []);
  const out: Row[] = Array.from({ length: count }, () => ({}));
  columns.forEach((column, c) => {
    const columnValues = values[c]!;
    const isDate = dates.has(column);
    for (let i = 0; i < count; i++) {
      const value = columnValues[i] ?? null;
      out[numbers![i]! - 1]![column] = isDate && typeof value === 'string' ? new Date(value) : value;
    }
  });
  return out;
}
