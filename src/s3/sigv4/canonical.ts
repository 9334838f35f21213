// SigV4's canonical forms and derived values, named after the steps of the specification
// ("Create a canonical request", "Create a string to sign", "Derive a signing key", and the
// chunk and trailer strings of aws-chunked uploads). The request is taken as the client sent
// it: the raw path and query, and the headers it listed as signed.
import { createHash, createHmac } from 'node:crypto';
import type { QueryParam } from './request.js';
import { isEscapeAt, percentDecode, uriEncode } from './uri.js';

export const ALGORITHM = 'AWS4-HMAC-SHA256';
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export const sha256Hex = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');
export const hmacSha256 = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data, 'utf8').digest();

/**
 * S3 signs the path once-encoded, as the client sent it: escapes stay verbatim (`%2F` is not a
 * slash, `%20` is not re-encoded) and only bytes the client left raw are encoded.
 */
export function canonicalUri(rawPath: string): string {
  let out = '';
  for (let at = 0; at < rawPath.length; at++) {
    if (isEscapeAt(rawPath, at)) {
      out += rawPath.slice(at, at + 3);
      at += 2;
      continue;
    }
    const char = String.fromCodePoint(rawPath.codePointAt(at)!);
    out += uriEncode(char, true);
    at += char.length - 1;
  }
  return out === '' ? '/' : out;
}

/** Each name and value decoded then UriEncoded, sorted by encoded name then value. */
export function canonicalQuery(params: readonly QueryParam[], exclude: readonly string[] = []): string {
  const pairs = params
    .filter((p) => !exclude.includes(p.name))
    .map((p) => [uriEncode(percentDecode(p.rawName)), uriEncode(percentDecode(p.rawValue))] as const);
  pairs.sort((a, b) => compare(a[0], b[0]) || compare(a[1], b[1]));
  return pairs.map(([name, value]) => `${name}=${value}`).join('&');
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Line breaks become spaces, runs of spaces and tabs one space, no space at either end. */
export function canonicalHeaderValue(value: string): string {
  return value.replace(/[\r\n]/g, ' ').replace(/[ \t]+/g, ' ').replace(/^ | $/g, '');
}

/** Every header the client listed, in its order, even ones signers usually skip (expect, user-agent...). */
export function canonicalHeaders(header: (name: string) => string | undefined, signedHeaders: readonly string[]): string {
  return signedHeaders.map((name) => `${name}:${canonicalHeaderValue(header(name) ?? '')}\n`).join('');
}

export interface CanonicalRequestParts {
  method: string;
  rawPath: string;
  params: readonly QueryParam[];
  header: (name: string) => string | undefined;
  signedHeaders: readonly string[];
  payloadHash: string;
  /** Presigned URLs sign every query parameter but the signature itself. */
  presigned: boolean;
}

export function canonicalRequest(parts: CanonicalRequestParts): string {
  return [
    parts.method,
    canonicalUri(parts.rawPath),
    canonicalQuery(parts.params, parts.presigned ? ['X-Amz-Signature'] : []),
    canonicalHeaders(parts.header, parts.signedHeaders),
    parts.signedHeaders.join(';'),
    parts.payloadHash,
  ].join('\n');
}

export function credentialScope(date: string, region: string, service: string): string {
  return `${date}/${region}/${service}/aws4_request`;
}

export function stringToSign(amzDate: string, scope: string, canonical: string): string {
  return [ALGORITHM, amzDate, scope, sha256Hex(canonical)].join('\n');
}

/** Each aws-chunked chunk is signed after the previous signature (the seed: the request's). */
export function chunkStringToSign(amzDate: string, scope: string, previousSignature: string, chunkSha256: string): string {
  return ['AWS4-HMAC-SHA256-PAYLOAD', amzDate, scope, previousSignature, EMPTY_SHA256, chunkSha256].join('\n');
}

/** The trailer lines (`name:value\n` each) are signed after the final chunk's signature. */
export function trailerStringToSign(amzDate: string, scope: string, previousSignature: string, trailerText: string): string {
  return ['AWS4-HMAC-SHA256-TRAILER', amzDate, scope, previousSignature, sha256Hex(trailerText)].join('\n');
}

const KEY_CACHE_LIMIT = 256;
const keyCache = new Map<string, Buffer>();

/** kSigning = HMAC chain over date, region, service, "aws4_request"; recently used keys cached (LRU). */
export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  const cacheKey = JSON.stringify([secret, date, region, service]);
  const cached = keyCache.get(cacheKey);
  if (cached) {
    keyCache.delete(cacheKey); // re-inserted below: Map order is the recency order
    keyCache.set(cacheKey, cached);
    return Buffer.from(cached);
  }
  const key = hmacSha256(hmacSha256(hmacSha256(hmacSha256(`AWS4${secret}`, date), region), service), 'aws4_request');
  if (keyCache.size >= KEY_CACHE_LIMIT) keyCache.delete(keyCache.keys().next().value!);
  keyCache.set(cacheKey, key);
  return Buffer.from(key);
}

export const signingKeyCacheSize = (): number => keyCache.size;

export const signatureOf = (key: Buffer, toSign: string): string => hmacSha256(key, toSign).toString('hex');
