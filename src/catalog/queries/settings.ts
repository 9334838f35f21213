// Small named values the catalog keeps for itself (e.g. the encrypted token lookup key).
import type { Queryable } from '../db.js';

export async function getSetting(q: Queryable, name: string): Promise<string | null> {
  const { rows } = await q.query<{ value: string }>('SELECT value FROM settings WHERE name = $1', [name]);
  return rows[0]?.value ?? null;
}

/** Sets the value only if none is set yet; returns the value that is set after the call. */
export async function initSetting(q: Queryable, name: string, value: string): Promise<string> {
  await q.query('INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [name, value]);
  return (await getSetting(q, name))!;
}

export async function putSetting(q: Queryable, name: string, value: string): Promise<void> {
  await q.query(
    `INSERT INTO settings (name, value) VALUES ($1, $2)
     ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = now()`,
    [name, value],
  );
}
