// API keys. The id is the S3 access key id; the token is the Bearer token and the S3 secret.
// The catalog never sees a token in the clear: callers pass its lookup HMAC and its ciphertext
// (core/ owns the keyring), so nothing here can leak one.
import { NotFoundError } from '../../errors.js';
import type { Queryable } from '../db.js';
import type { Page } from '../types.js';
import { toPrincipal, type Principal } from './principals.js';
import { pageOf } from './repositories.js';

export interface ApiKey {
  id: string;
  principalId: string;
  name: string;
  description: string;
  tokenEncrypted: string;
  tokenHint: string;
  sessionId: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
}

type Row = Record<string, unknown>;

const toApiKey = (r: Row): ApiKey => ({
  id: r.id as string,
  principalId: r.principal_id as string,
  name: r.name as string,
  description: r.description as string,
  tokenEncrypted: r.token_encrypted as string,
  tokenHint: r.token_hint as string,
  sessionId: (r.session_id ?? null) as string | null,
  createdAt: r.created_at as Date,
  lastUsedAt: (r.last_used_at ?? null) as Date | null,
  expiresAt: (r.expires_at ?? null) as Date | null,
  revokedAt: (r.revoked_at ?? null) as Date | null,
});

export interface NewApiKey {
  id: string;
  principalId: string;
  name: string;
  description?: string;
  tokenLookup: string;
  tokenEncrypted: string;
  tokenHint: string;
  sessionId?: string | null;
  expiresAt?: Date | null;
}

export async function insertApiKey(q: Queryable, key: NewApiKey): Promise<ApiKey> {
  const { rows } = await q.query(
    `INSERT INTO api_keys (id, principal_id, name, description, token_lookup, token_encrypted, token_hint, session_id, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING *`,
    [key.id, key.principalId, key.name, key.description ?? '', key.tokenLookup, key.tokenEncrypted, key.tokenHint,
      key.sessionId ?? null, key.expiresAt ?? null],
  );
  return toApiKey(rows[0]!);
}

/**
 * A usable key (not revoked, not expired) with its active principal, in one round trip: by
 * access key id (SigV4) or by the HMAC of its token (Bearer).
 */
export async function findActiveKeyWithPrincipal(
  q: Queryable,
  by: { id: string } | { tokenLookup: string },
): Promise<{ key: ApiKey; principal: Principal } | null> {
  const [column, value] = 'id' in by ? ['k.id', by.id] : ['k.token_lookup', by.tokenLookup];
  const { rows } = await q.query(
    `SELECT to_jsonb(k.*) AS k, to_jsonb(p.*) AS p FROM api_keys k JOIN principals p ON p.id = k.principal_id
     WHERE ${column} = $1 AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now())
       AND p.deleted_at IS NULL AND p.status = 'active'`,
    [value],
  );
  const row = rows[0] as { k: Row; p: Row } | undefined;
  return row ? { key: toApiKey(fromJsonRow(row.k)), principal: toPrincipal(fromJsonRow(row.p)) } : null;
}

// to_jsonb turns timestamps into ISO strings; the row mappers expect Dates.
function fromJsonRow(r: Row): Row {
  const out: Row = { ...r };
  for (const name of ['created_at', 'last_used_at', 'expires_at', 'revoked_at', 'deleted_at', 'inline_policy_updated_at']) {
    if (typeof out[name] === 'string') out[name] = new Date(out[name] as string);
  }
  return out;
}

/** A usable key (not revoked, not expired) by access key id, or null. */
export async function findActiveKeyById(q: Queryable, id: string): Promise<ApiKey | null> {
  const { rows } = await q.query(
    `SELECT * FROM api_keys WHERE id = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())`,
    [id],
  );
  return rows[0] ? toApiKey(rows[0]) : null;
}

/** A usable key by the HMAC of its token (Bearer authentication), or null. */
export async function findActiveKeyByLookup(q: Queryable, tokenLookup: string): Promise<ApiKey | null> {
  const { rows } = await q.query(
    `SELECT * FROM api_keys WHERE token_lookup = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())`,
    [tokenLookup],
  );
  return rows[0] ? toApiKey(rows[0]) : null;
}

export async function listKeys(
  q: Queryable,
  principalId: string,
  opts: { after?: string | null; limit: number },
): Promise<Page<ApiKey>> {
  const { rows } = await q.query(
    `SELECT * FROM api_keys WHERE principal_id = $1 AND session_id IS NULL AND id > $2 ORDER BY id LIMIT $3`,
    [principalId, opts.after ?? '', opts.limit + 1],
  );
  return pageOf(rows.map(toApiKey), opts.limit, (k) => k.id);
}

export async function revokeKey(q: Queryable, principalId: string, id: string): Promise<void> {
  const { rowCount } = await q.query(
    'UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 AND principal_id = $2',
    [id, principalId],
  );
  if (rowCount === 0) throw new NotFoundError('key', `key ${id} not found`);
}

/** Records use at most once a minute per key, so hot keys do not write on every request. */
/** Records a use of the key (at most once a minute is kept, so callers may call it often). */
export async function touchKey(q: Queryable, id: string): Promise<void> {
  await q.query(
    `UPDATE api_keys SET last_used_at = now() WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
    [id],
  );
}

/** Every stored ciphertext, for re-encryption under a new key. */
export async function listEncryptedTokens(q: Queryable): Promise<Array<{ id: string; tokenEncrypted: string }>> {
  const { rows } = await q.query<{ id: string; token_encrypted: string }>('SELECT id, token_encrypted FROM api_keys');
  return rows.map((r) => ({ id: r.id, tokenEncrypted: r.token_encrypted }));
}

export async function updateEncryptedToken(q: Queryable, id: string, tokenEncrypted: string): Promise<void> {
  await q.query('UPDATE api_keys SET token_encrypted = $2 WHERE id = $1', [id, tokenEncrypted]);
}

export async function getKeyOf(q: Queryable, principalId: string, id: string): Promise<ApiKey> {
  const { rows } = await q.query('SELECT * FROM api_keys WHERE id = $1 AND principal_id = $2 AND session_id IS NULL', [id, principalId]);
  if (!rows[0]) throw new NotFoundError('key', `key ${id} not found`);
  return toApiKey(rows[0]);
}
