// Escaping of text for S3 XML documents, shared by xml.ts and s3-error.ts.
//
// Besides the five markup characters, every character that XML 1.0 forbids or that parsers
// rewrite is written as a numeric character reference:
// - \t \n \r: legal, but parsers turn a raw CR into LF (end-of-line handling), so keys with CR
//   would not round-trip; we reference all three for uniformity, as S3's docs recommend.
// - \x00-\x08 \x0B \x0C \x0E-\x1F, lone surrogates, U+FFFE/U+FFFF: not XML 1.0 characters at all,
//   not even as references. S3 writes them as references anyway; lenient parsers decode them,
//   strict ones (expat, so botocore) reject the document. Clients that can meet such keys ask
//   for `encoding-type=url` (botocore does so by default for listings), which avoids the issue.
//   We choose the reference because it keeps the document valid UTF-8 and loses nothing.
// - \x7F, U+0085, U+2028: legal, but discouraged or normalised by XML 1.1 parsers.

const MARKUP: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

const SPECIAL =
  /[&<>"'\x00-\x1F\x7F\x85\u2028\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const HAS_SPECIAL = new RegExp(SPECIAL.source);
// Printable ASCII without the markup characters: most keys, tested far faster than HAS_SPECIAL.
const PLAIN = /^[\x20\x21\x23-\x25\x28-\x3B\x3D\x3F-\x7E]*$/;

function reference(ch: string): string {
  return MARKUP[ch] ?? `&#x${ch.charCodeAt(0).toString(16).toUpperCase()};`;
}

/** Escapes text for element content or a double- or single-quoted attribute value. */
export function escapeXml(text: string): string {
  if (PLAIN.test(text)) return text;
  return HAS_SPECIAL.test(text) ? text.replace(SPECIAL, reference) : text;
}
