// API keys. One key is two strings (API-CONTRACT §0.1): the access key id (public handle,
// also the S3 access key id) and the token (the secret: Bearer token and S3 secret).
// Tokens are found by an HMAC of the token under a lookup key, never by the token itself:
// the lookup key is a random secret the catalog keeps encrypted under the keyring, so
// rotating encryption keys leaves every lookup hash valid.
import { createHmac, randomBytes, randomInt } from 'node:crypto';

export const TOKEN_PREFIXES = ['tuk-', 'trk-', 'tak-'] as const;
export type TokenPrefix = (typeof TOKEN_PREFIXES)[number];

/** `TK` + 18 of [A-Z0-9]: 20 characters like AWS ids, ~93 random bits, recognisable as ours. */
export const ACCESS_KEY_ID_PREFIX = 'TK';
export const ACCESS_KEY_ID_LENGTH = 20;
const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** 43 base62 characters ≈ 256 random bits. */
export const TOKEN_RANDOM_LENGTH = 43;
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export function newAccessKeyId(): string {
  let id = ACCESS_KEY_ID_PREFIX;
  // randomInt draws without modulo bias.
  while (id.length < ACCESS_KEY_ID_LENGTH) id += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
  return id;
}

export function newToken(prefix: TokenPrefix): string {
  return prefix + randomBase62(TOKEN_RANDOM_LENGTH);
}

// Rejection sampling: bytes >= 248 (= 4 * 62) are dropped, so every character is equally likely.
function randomBase62(length: number): string {
  const limit = 256 - (256 % BASE62.length);
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < limit) out += BASE62[byte % BASE62.length];
      if (out.length === length) break;
    }
  }
  return out;
}

/** Which principal kind a token belongs to, or undefined if it is not shaped like ours. */
export function tokenPrefixOf(token: string): TokenPrefix | undefined {
  const prefix = TOKEN_PREFIXES.find((p) => token.startsWith(p));
  return prefix && /^[0-9A-Za-z]+$/.test(token.slice(prefix.length)) ? prefix : undefined;
}

/** The last 4 characters, shown in key listings (`token_hint`). */
export function tokenHint(token: string): string {
  return token.slice(-4);
}

export function newLookupKey(): Buffer {
  return randomBytes(32);
}

/** HMAC-SHA256(lookupKey, token) in hex: what the catalog indexes instead of the token. */
export function tokenLookupHash(lookupKey: Buffer, token: string): string {
  return createHmac('sha256', lookupKey).update(token, 'utf8').digest('hex');
}
