// Listing parameters: continuation tokens, encoding-type=url and max-keys (and its siblings).
import { S3Error } from '../s3-error.js';

// ---- continuation tokens ----

/**
 * Where a ListObjectsV2 page stopped: after this key, or after every key under this common
 * prefix (with a delimiter, resuming "after a/" as a key would roll a/b up into a/ again).
 */
export interface ListPosition {
  after: string;
  kind: 'key' | 'prefix';
}

const TOKEN_VERSION = '1';
const KIND_TAG = { key: 'k', prefix: 'p' } as const;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** An opaque token: base64url of a version, the kind and the key. Forging one is harmless. */
export function encodeContinuationToken(position: ListPosition): string {
  return Buffer.from(TOKEN_VERSION + KIND_TAG[position.kind] + position.after, 'utf8').toString('base64url');
}

/** The position a token names; anything we did not issue -> InvalidArgument, as S3 says it. */
export function decodeContinuationToken(token: string): ListPosition {
  const text = BASE64URL.test(token) ? decodeCanonicalBase64url(token) : null;
  const kind = text?.[1] === 'k' ? 'key' : text?.[1] === 'p' ? 'prefix' : null;
  if (text === null || text[0] !== TOKEN_VERSION || kind === null) {
    throw new S3Error('InvalidArgument', 'The continuation token provided is incorrect', {
      ArgumentName: 'continuation-token',
      ArgumentValue: token,
    });
  }
  return { after: text.slice(2), kind };
}

function decodeCanonicalBase64url(token: string): string | null {
  const bytes = Buffer.from(token, 'base64url');
  if (bytes.toString('base64url') !== token) return null;
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return null;
  }
}

// ---- encoding-type=url ----

export type EncodingType = 'url';

/** encoding-type: `url` or absent; anything else -> InvalidArgument, with S3's message. */
export function parseEncodingType(value: string | undefined): EncodingType | undefined {
  if (value === undefined) return undefined;
  if (value.toLowerCase() === 'url') return 'url';
  throw new S3Error('InvalidArgument', 'Invalid Encoding Method specified in Request', {
    ArgumentName: 'encoding-type',
    ArgumentValue: value,
  });
}

const JAVA_URLENCODER_EXTRAS = /[!'()~]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * A key as S3 writes it under encoding-type=url: form encoding as Java's URLEncoder does it
 * (letters, digits and `. - * _` kept, space as `+`, everything else %XX of its UTF-8 bytes,
 * `~` included) except that `/` is kept. This is the behaviour MinIO reproduces for S3
 * compatibility, and what botocore undoes with `unquote_plus` for listings.
 */
export function encodeKeyForUrl(key: string): string {
  return encodeURIComponent(key.replace(LONE_SURROGATE, '\uFFFD'))
    .replace(JAVA_URLENCODER_EXTRAS, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`)
    .replaceAll('%20', '+')
    .replaceAll('%2F', '/');
}

/** `value` encoded when the request asked for encoding-type=url. */
export function encodeIfAsked<T extends string | undefined>(value: T, encoding: EncodingType | undefined): T {
  return (encoding === 'url' && value !== undefined ? encodeKeyForUrl(value) : value) as T;
}

// ---- max-keys, max-uploads, max-parts ----

export type ListLimitParam = 'max-keys' | 'max-uploads' | 'max-parts';
export const MAX_LIST_LIMIT = 1000;
const INT32_MAX = 2147483647;
// S3 names max-keys "maxKeys" in this one message, and the others by their parameter.
const NEGATIVE_ARGUMENT_NAME: Record<ListLimitParam, string> = {
  'max-keys': 'maxKeys',
  'max-uploads': 'max-uploads',
  'max-parts': 'max-parts',
};

/**
 * A listing limit: absent -> 1000; above 1000 -> 1000 (S3 never returns more per page);
 * negative, not an integer, or beyond a 32-bit int -> InvalidArgument with S3's messages.
 */
export function parseListLimit(value: string | undefined, param: ListLimitParam = 'max-keys'): number {
  if (value === undefined) return MAX_LIST_LIMIT;
  const n = /^[+-]?\d{1,12}$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n > INT32_MAX || n < -INT32_MAX - 1) {
    throw new S3Error('InvalidArgument', `Provided ${param} not an integer or within integer range`, {
      ArgumentName: param,
      ArgumentValue: value,
    });
  }
  if (n < 0) {
    const name = NEGATIVE_ARGUMENT_NAME[param];
    throw new S3Error('InvalidArgument', `Argument ${name} must be an integer between 0 and ${INT32_MAX}`, {
      ArgumentName: name,
      ArgumentValue: value,
    });
  }
  return Math.min(n, MAX_LIST_LIMIT);
}
