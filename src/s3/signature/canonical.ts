// SigV4's canonical forms, named after the steps of the specification. The request is taken
// as the client sent it: the raw path and query, and the headers it listed as signed.
import { createHash, createHmac } from 'node:crypto';

const UNRESERVED = /[A-Za-z0-9\-._~]/;

/** RFC 3986 encoding as AWS specifies it: everything but unreserved characters, %XX upper-case. */
export function uriEncode(text: string, encodeSlash = true): string {
  let out = '';
  for (const ch of text) {
    if (UNRESERVED.test(ch) || (ch === '/' && !encodeSlash)) out += ch;
    else for (const byte of Buffer.from(ch, 'utf8')) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** S3 signs the path encoded once: each segment as the client's SDK encoded the key. */
export function canonicalUri(rawPath: string): string {
  return rawPath.split('/').map((segment) => uriEncode(safeDecode(segment))).join('/') || '/';
}

/** Query parameters, each name and value encoded, sorted by name then value. */
export function canonicalQuery(rawQuery: string, exclude: ReadonlySet<string> = new Set()): string {
  if (!rawQuery) return '';
  const pairs: Array<[string, string]> = [];
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = safeDecode(eq < 0 ? part : part.slice(0, eq));
    if (exclude.has(name)) continue;
    pairs.push([uriEncode(name), uriEncode(safeDecode(eq < 0 ? '' : part.slice(eq + 1)))]);
  }
  pairs.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return pairs.map(([n, v]) => `${n}=${v}`).join('&');
}

export type HeaderLookup = (name: string) => string | undefined;

/** The signed headers, lower-case, values trimmed with inner runs of spaces collapsed. */
export function canonicalHeaders(header: HeaderLookup, signedHeaders: readonly string[]): string {
  return signedHeaders.map((name) => `${name}:${(header(name) ?? '').trim().replace(/\s+/g, ' ')}\n`).join('');
}

export function canonicalRequest(parts: {
  method: string; rawPath: string; rawQuery: string; header: HeaderLookup; signedHeaders: readonly string[];
  payloadHash: string; excludeQuery?: ReadonlySet<string>;
}): string {
  return [
    parts.method,
    canonicalUri(parts.rawPath),
    canonicalQuery(parts.rawQuery, parts.excludeQuery),
    canonicalHeaders(parts.header, parts.signedHeaders),
    parts.signedHeaders.join(';'),
    parts.payloadHash,
  ].join('\n');
}

export const sha256Hex = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

export function stringToSign(amzDate: string, scope: string, canonical: string): string {
  return ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonical)].join('\n');
}

const keyCache = new Map<string, Buffer>();
const KEY_CACHE_LIMIT = 1000;

/** kSigning = HMAC chain over date, region, service; cached (4 HMACs per derivation). */
export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  const cacheKey = `${sha256Hex(secret)}/${date}/${region}/${service}`;
  const cached = keyCache.get(cacheKey);
  if (cached) return cached;
  const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();
  const key = hmac(hmac(hmac(hmac(`AWS4${secret}`, date), region), service), 'aws4_request');
  if (keyCache.size >= KEY_CACHE_LIMIT) keyCache.delete(keyCache.keys().next().value!);
  keyCache.set(cacheKey, key);
  return key;
}

export const hmacHex = (key: Buffer, data: string): string => createHmac('sha256', key).update(data).digest('hex');
