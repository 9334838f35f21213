// Why a Bearer token did not authenticate: an expired key falls through to the next method
// (API-CONTRACT §0.1), while an unknown or revoked one is refused.
import type { Queryable } from '../db.js';

/** True when the token's key exists, is not revoked, and has expired. */
export async function isExpiredKey(q: Queryable, tokenLookup: string): Promise<boolean> {
  const { rows } = await q.query(
    'SELECT 1 FROM api_keys WHERE token_lookup = $1 AND revoked_at IS NULL AND expires_at <= now()',
    [tokenLookup],
  );
  return rows.length > 0;
}
