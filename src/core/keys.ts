// API keys as both front doors use them: issuing (the token is returned once and kept only
// encrypted and as an HMAC), Bearer authentication, and the S3 secret for SigV4.
import { apiKeys, principals, type Actor, type Queryable } from '../catalog/index.js';
import type { ApiKey } from '../catalog/queries/api-keys.js';
import type { Principal } from '../catalog/queries/principals.js';
import type { Services } from './services.js';
import { newAccessKeyId, newToken, tokenHint, tokenLookupHash, type TokenPrefix } from './secrets/tokens.js';

export const TOKEN_PREFIX: Record<Actor['type'], TokenPrefix> = { user: 'tuk-', role: 'trk-', agent: 'tak-' };

export interface IssueKeyOptions {
  name: string;
  description?: string;
  /** Binds the key to one session: S3 requests through it read and write that session. */
  sessionId?: string | null;
  expiresAt?: Date | null;
  /** Fixed credentials (the bootstrap admin from the environment); otherwise generated. */
  fixed?: { accessKeyId: string; secret: string };
}

export interface IssuedKey {
  key: ApiKey;
  /** The token (Bearer token and S3 secret): shown once, never stored in the clear. */
  token: string;
}

const aad = (accessKeyId: string) => `api_keys:${accessKeyId}`;

/** The token of a stored key, decrypted (SigV4 needs the secret itself). */
export function decryptToken(services: Services, key: ApiKey): string {
  return services.keyring.decryptText(key.tokenEncrypted, aad(key.id));
}

export async function issueKey(
  services: Services,
  principal: Principal,
  opts: IssueKeyOptions,
  q: Queryable = services.db,
): Promise<IssuedKey> {
  const prefix = TOKEN_PREFIX[principals.actorOf(principal).type];
  const id = opts.fixed?.accessKeyId ?? newAccessKeyId();
  const token = opts.fixed?.secret ?? newToken(prefix);
  const key = await apiKeys.insertApiKey(q, {
    id,
    principalId: principal.id,
    name: opts.name,
    description: opts.description ?? '',
    tokenLookup: tokenLookupHash(services.tokenLookupKey, token),
    tokenEncrypted: services.keyring.encrypt(token, aad(id)),
    tokenHint: tokenHint(token),
    sessionId: opts.sessionId ?? null,
    expiresAt: opts.expiresAt ?? null,
  });
  return { key, token };
}

export interface Authenticated {
  key: ApiKey;
  principal: Principal;
}

/** The key and principal behind a Bearer token, or null when it is unknown, revoked or expired. */
export async function authenticateToken(services: Services, token: string): Promise<Authenticated | null> {
  const tokenLookup = tokenLookupHash(services.tokenLookupKey, token);
  const found = await services.authCache.get(`bearer:${tokenLookup}`, () => apiKeys.findActiveKeyWithPrincipal(services.db, { tokenLookup }));
  return usable(services, found);
}

/** For SigV4: the secret of an access key id, or null when it is unknown, revoked or expired. */
export async function secretForAccessKey(
  services: Services,
  accessKeyId: string,
): Promise<(Authenticated & { secret: string }) | null> {
  const found = await services.authCache.get(`s3:${accessKeyId}`, async () => {
    const row = await apiKeys.findActiveKeyWithPrincipal(services.db, { id: accessKeyId });
    return row && { ...row, secret: decryptToken(services, row.key) };
  });
  return usable(services, found);
}

// A cached key may have expired since it was read; its use is recorded at most once a minute.
function usable<T extends Authenticated>(services: Services, found: T | null): T | null {
  if (!found || (found.key.expiresAt && found.key.expiresAt.getTime() <= Date.now())) return null;
  if (services.authCache.due(`touch:${found.key.id}`, 60_000)) void apiKeys.touchKey(services.db, found.key.id).catch(() => {});
  return found;
}

/** Re-encrypts every stored token under the keyring's current key; returns how many changed. */
export async function reencryptTokens(services: Services): Promise<number> {
  let changed = 0;
  for (const { id, tokenEncrypted } of await apiKeys.listEncryptedTokens(services.db)) {
    if (!services.keyring.needsRotation(tokenEncrypted)) continue;
    const token = services.keyring.decrypt(tokenEncrypted, aad(id));
    await apiKeys.updateEncryptedToken(services.db, id, services.keyring.encrypt(token, aad(id)));
    changed++;
  }
  return changed;
}
