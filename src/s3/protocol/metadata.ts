// Object metadata carried in headers: user metadata (x-amz-meta-*) and the system headers S3
// stores with an object and sends back on GET / HEAD.
import { S3Error } from '../s3-error.js';
import { headerValue, type HeaderBag } from './headers.js';

export const USER_METADATA_PREFIX = 'x-amz-meta-';
/** S3's limit on user metadata: UTF-8 bytes of every name (without the prefix) and value. */
export const MAX_USER_METADATA_BYTES = 2048;
/** What S3 stores as Content-Type when a PUT carries none. */
export const DEFAULT_CONTENT_TYPE = 'binary/octet-stream';

/**
 * User metadata from `x-amz-meta-*` headers: names lower-cased without the prefix (Node
 * already lower-cases them), values as sent. Over 2 KB in total -> MetadataTooLarge.
 */
export function userMetadataFromHeaders(headers: HeaderBag): Record<string, string> {
  const metadata: Record<string, string> = {};
  let bytes = 0;
  for (const name of Object.keys(headers)) {
    const lower = name.toLowerCase();
    if (!lower.startsWith(USER_METADATA_PREFIX) || lower.length === USER_METADATA_PREFIX.length) continue;
    const value = headerValue(headers, name) ?? '';
    const key = lower.slice(USER_METADATA_PREFIX.length);
    metadata[key] = value;
    bytes += Buffer.byteLength(key) + Buffer.byteLength(value);
  }
  if (bytes > MAX_USER_METADATA_BYTES) {
    throw new S3Error('MetadataTooLarge', undefined, { MaxSizeAllowed: String(MAX_USER_METADATA_BYTES) });
  }
  return metadata;
}

/** The standard headers S3 stores with an object. */
export interface SystemMetadata {
  contentType: string;
  contentDisposition?: string;
  contentEncoding?: string;
  contentLanguage?: string;
  cacheControl?: string;
  expires?: string;
}

const SYSTEM_HEADERS = {
  contentDisposition: 'content-disposition',
  contentEncoding: 'content-encoding',
  contentLanguage: 'content-language',
  cacheControl: 'cache-control',
  expires: 'expires',
} as const satisfies Record<Exclude<keyof SystemMetadata, 'contentType'>, string>;

export function systemMetadataFromHeaders(
  headers: HeaderBag,
  defaultContentType: string = DEFAULT_CONTENT_TYPE,
): SystemMetadata {
  const metadata: SystemMetadata = { contentType: headerValue(headers, 'content-type') || defaultContentType };
  for (const [field, header] of Object.entries(SYSTEM_HEADERS) as [keyof typeof SYSTEM_HEADERS, string][]) {
    const value = headerValue(headers, header);
    if (value !== undefined) metadata[field] = value;
  }
  const encoding = stripAwsChunked(metadata.contentEncoding);
  if (encoding === undefined) delete metadata.contentEncoding;
  else metadata.contentEncoding = encoding;
  return metadata;
}

/**
 * Content-Encoding without the `aws-chunked` token, which only describes the transfer of a
 * streaming upload and which S3 does not store. Undefined when nothing else remains.
 */
export function stripAwsChunked(contentEncoding: string | undefined): string | undefined {
  if (contentEncoding === undefined) return undefined;
  const codings = contentEncoding
    .split(',')
    .map((coding) => coding.trim())
    .filter((coding) => coding !== '' && coding.toLowerCase() !== 'aws-chunked');
  return codings.length > 0 ? codings.join(',') : undefined;
}

/** Response headers (lower-case names) for an object's stored metadata. */
export function metadataResponseHeaders(system: SystemMetadata, user: Readonly<Record<string, string>>): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': headerSafe(system.contentType) };
  for (const [field, header] of Object.entries(SYSTEM_HEADERS) as [keyof typeof SYSTEM_HEADERS, string][]) {
    const value = system[field];
    if (value !== undefined) headers[header] = headerSafe(value);
  }
  for (const [key, value] of Object.entries(user)) headers[USER_METADATA_PREFIX + key] = headerSafe(value);
  return headers;
}

// Node refuses to send header values outside these characters (its own check).
const UNSENDABLE = /[^\t\x20-\x7e\x80-\xff]/;

/**
 * A value Node can send. Values read from headers already are (Node hands over raw bytes one
 * character each, so UTF-8 sent by a client goes back byte for byte); values from elsewhere
 * with other characters are MIME-encoded (RFC 2047), as S3 does for non-ASCII metadata.
 */
export function headerSafe(value: string): string {
  if (!UNSENDABLE.test(value)) return value;
  return `=?UTF-8?B?${Buffer.from(value, 'utf8').toString('base64')}?=`;
}
