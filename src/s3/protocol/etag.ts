// ETags. S3 stores and sends them quoted ("<md5 hex>" or "<md5 of part md5s>-<parts>") and
// compares them leniently: clients send them with or without quotes, sometimes as weak (W/).
import { createHash } from 'node:crypto';

/** `"abc"` from `abc` or `"abc"`. */
export function quoteEtag(etag: string): string {
  return `"${unquoteEtag(etag)}"`;
}

/** `abc` from `abc`, `"abc"`, `W/"abc"` (and surrounding spaces). */
export function unquoteEtag(etag: string): string {
  let value = etag.trim();
  if (value.startsWith('W/')) value = value.slice(2);
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
  return value;
}

export function etagsEqual(a: string, b: string): boolean {
  return unquoteEtag(a) === unquoteEtag(b);
}

/** Whether an If-Match / If-None-Match list (`"a", "b"` or `*`) names `etag`. */
export function etagListMatches(list: string, etag: string): boolean {
  const wanted = unquoteEtag(etag);
  return list.split(',').some((item) => item.trim() === '*' || unquoteEtag(item) === wanted);
}

export const MAX_PARTS = 10_000;
const MULTIPART_ETAG = /^([0-9a-f]{32})-([1-9]\d{0,4})$/;

/** `{ md5, parts }` of a multipart ETag (quoted or not), or null for any other shape. */
export function parseMultipartEtag(etag: string): { md5: string; parts: number } | null {
  const match = MULTIPART_ETAG.exec(unquoteEtag(etag));
  if (!match) return null;
  const parts = Number(match[2]);
  return parts <= MAX_PARTS ? { md5: match[1] as string, parts } : null;
}

export function isMultipartEtag(etag: string): boolean {
  return parseMultipartEtag(etag) !== null;
}

/** Whether `etag` has the shape of a single-part object's ETag: the hex MD5 of its bytes. */
export function isSinglePartEtag(etag: string): boolean {
  return /^[0-9a-f]{32}$/.test(unquoteEtag(etag));
}

/** S3's multipart ETag: MD5 of the concatenated binary part MD5s, a dash, the part count; quoted. */
export function multipartEtag(partEtags: readonly string[]): string {
  const hash = createHash('md5');
  for (const etag of partEtags) {
    if (!isSinglePartEtag(etag)) throw new TypeError(`not a part ETag: ${etag}`);
    hash.update(Buffer.from(unquoteEtag(etag), 'hex'));
  }
  return `"${hash.digest('hex')}-${partEtags.length}"`;
}
