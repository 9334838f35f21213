// Object keys (paths) as the catalog stores and orders them: UTF-8, compared byte-wise.

/** S3's limit; also what keeps every stored path below the listing bounds computed here. */
export const MAX_PATH_BYTES = 1024;

/**
 * The smallest string greater than every string that starts with `prefix`, or null when
 * there is none (prefix made only of U+10FFFF). Increments the last code point; UTF-8 byte
 * order equals code point order, so this is also the byte-wise successor.
 */
export function prefixSuccessor(prefix: string): string | null {
  const codePoints = Array.from(prefix);
  while (codePoints.length > 0) {
    const last = codePoints.pop()!.codePointAt(0)!;
    if (last < 0x10ffff) {
      const next = last === 0xd7ff ? 0xe000 : last + 1; // skip the surrogate range
      return codePoints.join('') + String.fromCodePoint(next);
    }
  }
  return null;
}

/** Compares two strings by their UTF-8 bytes, as the catalog's "C" collation does. */
export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/**
 * With a delimiter, the common prefix a key rolls up into (prefix + up to and including the
 * first delimiter after it), or null when the key is listed as itself.
 */
export function commonPrefixOf(key: string, prefix: string, delimiter: string): string | null {
  if (!delimiter || !key.startsWith(prefix)) return null;
  const at = key.indexOf(delimiter, prefix.length);
  return at < 0 ? null : key.slice(0, at + delimiter.length);
}
