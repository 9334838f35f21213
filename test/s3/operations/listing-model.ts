// A reference model of an S3 listing, to compare the gateway's pages against: keys in UTF-8
// byte order, those under the prefix after the start key, each rolled up into its common
// prefix (up to and including the first delimiter after the prefix) when there is one.

/** `K:key` for an object, `P:prefix` for a common prefix. */
export type Item = string;

export const byUtf8 = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));

/**
 * A start (marker, start-after) that is itself a common prefix of the listing skips every key
 * under it, as S3 does when a client resumes from a NextMarker that named a common prefix.
 */
export function expectedListing(keys: readonly string[], opts: { prefix?: string; delimiter?: string; after?: string }): Item[] {
  const prefix = opts.prefix ?? '';
  const after = opts.after ?? '';
  const skipUnder = opts.delimiter && after.startsWith(prefix) && after.indexOf(opts.delimiter, prefix.length) === after.length - opts.delimiter.length
    ? after : null;
  const out: Item[] = [];
  for (const key of [...keys].sort(byUtf8)) {
    if (!key.startsWith(prefix) || (after && byUtf8(key, after) <= 0) || (skipUnder && key.startsWith(skipUnder))) continue;
    const at = opts.delimiter ? key.indexOf(opts.delimiter, prefix.length) : -1;
    const item = at < 0 ? `K:${key}` : `P:${key.slice(0, at + opts.delimiter!.length)}`;
    if (out[out.length - 1] !== item) out.push(item);
  }
  return out;
}

/** Keys that exercise delimiters of one and several characters, overlaps, unicode and markup. */
export const KEYS = [
  'a', 'a/b', 'a/b/c', 'a/c', 'a--b--c', 'a--d', 'a-x', 'aaa', 'aaab', 'xaaay', 'b/x', 'b/y/z', 'c', 'd/1', 'd/2', 'd/3',
  'ü/1', 'ü/2', 'sp ace/1', 'plus+key', 'pct%20', 'amp&<>"\'', 'ctl\u0001\r\t/x', '日本/語', 'z',
];

/** (prefix, delimiter, start) combinations the model is checked on. */
export const CASES: Array<{ prefix?: string; delimiter?: string; after?: string }> = [
  {}, { delimiter: '/' }, { prefix: 'a', delimiter: '/' }, { prefix: 'a/', delimiter: '/' }, { delimiter: '--' }, { prefix: 'a', delimiter: '--' },
  { delimiter: 'aa' }, { delimiter: '/', after: 'a/b' }, { delimiter: '/', after: 'b/' }, { after: 'ctl' }, { prefix: 'ü' , delimiter: '/' },
  { delimiter: 'b/' }, { prefix: 'nothing' },
];
