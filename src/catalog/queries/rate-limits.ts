// Per-key request counters in fixed one-minute windows, kept in the catalog so that every
// process sharing it enforces one limit.
import type { Queryable } from '../db.js';

/** Counts one request in the window starting at `windowStart`; returns the count so far. */
export async function hit(q: Queryable, keyId: string, windowStart: Date): Promise<number> {
  const { rows } = await q.query<{ count: number }>(
    `INSERT INTO rate_limits (key_id, window_start, count) VALUES ($1, $2, 1)
     ON CONFLICT (key_id, window_start) DO UPDATE SET count = rate_limits.count + 1 RETURNING count`,
    [keyId, windowStart],
  );
  return rows[0]!.count;
}

/** Drops windows that ended before `before`. */
export async function prune(q: Queryable, before: Date): Promise<void> {
  await q.query('DELETE FROM rate_limits WHERE window_start < $1', [before]);
}
