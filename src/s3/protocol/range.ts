// The Range header of GetObject / HeadObject (RFC 9110 §14), as S3 applies it:
// - one range only; a multi-range header is ignored and the whole object served (200), since
//   S3 does not support multipart/byteranges responses;
// - a header that is not a syntactically valid `bytes=` range is ignored (200), as RFC 9110
//   requires; that includes `bytes=5-2` (last before first);
// - a valid range that selects nothing (first byte at or past the end, or `bytes=-0`) is 416
//   InvalidRange. On an empty object `bytes=0-` is therefore 416, as on S3, while a suffix
//   range `bytes=-n` (n > 0) is satisfiable by RFC 9110 yet has no byte to send: we serve the
//   whole (empty) object with 200.
import { S3Error } from '../s3-error.js';

/** Inclusive byte positions, as in Content-Range. */
export interface ByteRange {
  start: number;
  end: number;
}

const SINGLE_RANGE = /^bytes=[ \t]*(\d*)-(\d*)[ \t]*$/i;

/** The range to serve, or null for the whole object; throws InvalidRange when unsatisfiable. */
export function parseRange(header: string | undefined, size: number): ByteRange | null {
  if (header === undefined) return null;
  const match = SINGLE_RANGE.exec(header.trim());
  if (!match) return null;
  const [, first = '', last = ''] = match;
  if (first === '' && last === '') return null;
  if (first === '') return suffixRange(Number(last), size, header);
  const start = Number(first);
  const end = last === '' ? Infinity : Number(last);
  if (end < start) return null;
  if (start >= size) throw invalidRange(header, size);
  return { start, end: Math.min(end, size - 1) };
}

function suffixRange(length: number, size: number, header: string): ByteRange | null {
  if (length === 0) throw invalidRange(header, size);
  if (size === 0) return null;
  return { start: Math.max(0, size - length), end: size - 1 };
}

export function invalidRange(rangeRequested: string, size: number): S3Error {
  return new S3Error('InvalidRange', undefined, {
    RangeRequested: rangeRequested,
    ActualObjectSize: String(size),
  });
}

/** The Content-Range of a 206 response. */
export function contentRange(start: number, end: number, size: number): string {
  return `bytes ${start}-${end}/${size}`;
}
