// Login sessions (the cookie of POST /auth/login) and the login-attempt counters that limit
// password guessing. Tokens are stored as HMACs only.
import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db.js';

export interface AuthSession {
  id: string;
  userId: string;
  createdAt: Date;
  expiresAt: Date;
}

type Row = Record<string, unknown>;
const toAuthSession = (r: Row): AuthSession => ({
  id: r.id as string, userId: r.user_id as string, createdAt: r.created_at as Date, expiresAt: r.expires_at as Date,
});

export async function createAuthSession(q: Queryable, userId: string, tokenLookup: string, expiresAt: Date): Promise<AuthSession> {
  const { rows } = await q.query(
    'INSERT INTO auth_sessions (id, token_lookup, user_id, expires_at) VALUES ($1, $2, $3, $4) RETURNING *',
    [randomUUID(), tokenLookup, userId, expiresAt],
  );
  return toAuthSession(rows[0]!);
}

/** The live (unexpired, unrevoked) session with this token, or null. */
export async function findLiveAuthSession(q: Queryable, tokenLookup: string): Promise<AuthSession | null> {
  const { rows } = await q.query(
    'SELECT * FROM auth_sessions WHERE token_lookup = $1 AND revoked_at IS NULL AND expires_at > now()',
    [tokenLookup],
  );
  return rows[0] ? toAuthSession(rows[0]) : null;
}

export async function touchAuthSession(q: Queryable, id: string): Promise<void> {
  await q.query('UPDATE auth_sessions SET last_used_at = now() WHERE id = $1', [id]);
}

/** Revokes the session with this token; false when there was no live one. */
export async function revokeAuthSession(q: Queryable, tokenLookup: string): Promise<boolean> {
  const { rowCount } = await q.query(
    'UPDATE auth_sessions SET revoked_at = now() WHERE token_lookup = $1 AND revoked_at IS NULL',
    [tokenLookup],
  );
  return rowCount > 0;
}

/** Counts one attempt for each subject in the window; returns the counts, in order. */
export async function countAttempts(q: Queryable, subjects: string[], windowStart: Date): Promise<number[]> {
  const counts: number[] = [];
  for (const subject of subjects) {
    const { rows } = await q.query<{ count: number }>(
      `INSERT INTO login_attempts (subject, window_start, count) VALUES ($1, $2, 1)
       ON CONFLICT (subject, window_start) DO UPDATE SET count = login_attempts.count + 1 RETURNING count`,
      [subject, windowStart],
    );
    counts.push(rows[0]!.count);
  }
  return counts;
}

export async function clearAttempts(q: Queryable, subject: string): Promise<void> {
  await q.query('DELETE FROM login_attempts WHERE subject = $1', [subject]);
}

/** Drops attempt windows that started before `before` and sessions that ended before it. */
export async function pruneAuth(q: Queryable, before: Date): Promise<void> {
  await q.query('DELETE FROM login_attempts WHERE window_start < $1', [before]);
  await q.query('DELETE FROM auth_sessions WHERE expires_at < $1 OR revoked_at < $1', [before]);
}
