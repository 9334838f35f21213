// S3 XML documents: a small builder for responses and a strict parser for request bodies.
//
// The builder is hand-written because fast-xml-parser's XMLBuilder writes control characters
// and CR raw (see protocol/xml-escape.ts for what we write instead).
//
// The parser is fast-xml-parser 5 with value parsing and trimming off, and a strict entity
// decoder of our own instead of `htmlEntities: true` (deprecated in 5.12): that option decodes
// HTML-only names such as `&nbsp;`, which XML forbids, and silently drops references to the
// characters XML 1.0 lacks, so a key like "a\x01b" sent as `a&#x1;b` would lose a character.
// Ours decodes the five XML entities and every numeric reference exactly, and rejects any other
// `&`. DOCTYPE is rejected outright, so no entity can be declared or expanded.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { S3Error } from './s3-error.js';
import { escapeXml } from './protocol/xml-escape.js';

export const S3_XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';
const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

export interface BuildXmlOptions {
  /** Put S3's `xmlns` on the root: true for every S3 document except `<Error>`. */
  namespace?: boolean;
}

/**
 * Markup already encoded as UTF-8, written as is by buildXmlBuffer: for the few hot repeated
 * elements (a listing's thousand Contents) that are cheaper to write directly than to build as
 * objects. Its maker escapes what it writes.
 */
export class RawXmlBytes {
  constructor(readonly bytes: Buffer) {}
}

/**
 * Builds an S3 document from a plain object. Arrays repeat their element, booleans are
 * `true`/`false`, Dates ISO 8601 with milliseconds, undefined and null are skipped, an empty
 * string or object is an empty element. Keys are written in insertion order.
 */
export function buildXml(rootName: string, content: object, opts: BuildXmlOptions = {}): string {
  return `${rootStart(rootName, opts)}${children(content)}</${rootName}>`;
}

/**
 * buildXml as UTF-8 bytes, where a child may be RawXmlBytes. A large document is better sent
 * as bytes: a string built from many pieces costs more to flatten and encode than to build.
 */
export function buildXmlBuffer(rootName: string, content: Record<string, unknown>, opts: BuildXmlOptions = {}): Buffer {
  const parts: Buffer[] = [];
  let text = rootStart(rootName, opts);
  for (const name in content) {
    const value = content[name];
    if (!(value instanceof RawXmlBytes)) {
      text += child(name, value);
      continue;
    }
    parts.push(Buffer.from(text), value.bytes);
    text = '';
  }
  parts.push(Buffer.from(`${text}</${rootName}>`));
  return Buffer.concat(parts);
}

function rootStart(rootName: string, opts: BuildXmlOptions): string {
  const attrs = (opts.namespace ?? rootName !== 'Error') ? ` xmlns="${S3_XMLNS}"` : '';
  return `${DECLARATION}<${checkedName(rootName)}${attrs}>`;
}

/** One element, `<name>…</name>`, written as buildXml writes its children. */
export function buildXmlFragment(name: string, value: unknown): string {
  return node(name, value);
}

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const knownNames = new Set<string>();

function checkedName(name: string): string {
  if (knownNames.has(name)) return name;
  if (!NAME.test(name)) throw new TypeError(`not an XML element name: ${JSON.stringify(name)}`);
  knownNames.add(name);
  return name;
}

function children(content: object): string {
  let out = '';
  for (const name in content) out += child(name, (content as Record<string, unknown>)[name]);
  return out;
}

/** A child's element, or one per item of an array. */
function child(name: string, value: unknown): string {
  if (!Array.isArray(value)) return node(name, value);
  let out = '';
  for (const item of value) out += node(name, item);
  return out;
}

function node(name: string, value: unknown): string {
  if (value === undefined || value === null) return '';
  const tag = checkedName(name);
  return `<${tag}>${content(name, value)}</${tag}>`;
}

function content(name: string, value: unknown): string {
  switch (typeof value) {
    case 'string':
      return escapeXml(value);
    case 'number':
    case 'bigint':
    case 'boolean':
      return String(value);
    case 'object':
      if (value instanceof Date) return isoDate(value);
      if (Array.isArray(value)) throw new TypeError(`nested array in <${name}>`);
      return children(value as object);
    default:
      throw new TypeError(`cannot write a ${typeof value} in <${name}>`);
  }
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`);
const pad3 = (n: number): string => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);

/** `Date.toISOString()`, at less than half its cost for the years 1000–9999 every entry has. */
export function isoDate(d: Date): string {
  const year = d.getUTCFullYear();
  if (year < 1000 || year > 9999) return d.toISOString();
  return `${year}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}T${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}.${pad3(d.getUTCMilliseconds())}Z`;
}

// ---- parsing ----

export interface ParseXmlOptions {
  /** Dotted element paths that are always arrays, e.g. `Delete.Object`, `CompleteMultipartUpload.Part`. */
  arrays?: readonly string[];
}

/**
 * A parsed element: its text, or its child elements by name (arrays where asked for, or where
 * an element repeats). Text mixed with child elements, never used by S3, is under '#text'.
 */
export type XmlNode = string | XmlElement | XmlNode[];
export interface XmlElement {
  [name: string]: XmlNode;
}

const NAMED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const REFERENCE = /&(?:(amp|lt|gt|quot|apos)|#(\d{1,7})|#x([0-9A-Fa-f]{1,6}));|&/g;

function malformed(): S3Error {
  return new S3Error('MalformedXML');
}

/** Decodes the references of one text run; a bare `&` or an unknown entity is malformed. */
export function decodeXmlText(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(REFERENCE, (_match, named?: string, dec?: string, hex?: string) => {
    if (named !== undefined) return NAMED[named] as string;
    const codePoint = dec !== undefined ? Number(dec) : hex !== undefined ? parseInt(hex, 16) : -1;
    if (codePoint < 0 || codePoint > 0x10ffff) throw malformed();
    return String.fromCodePoint(codePoint);
  });
}

const entityDecoder = {
  decode: decodeXmlText,
  setExternalEntities(): void {},
  addInputEntities(): void {},
  reset(): void {},
  setXmlVersion(): void {},
};

const parsers = new Map<string, XMLParser>();

function parserFor(arrays: readonly string[]): XMLParser {
  const cacheKey = arrays.join('\n');
  let parser = parsers.get(cacheKey);
  if (!parser) {
    const arrayPaths = new Set(arrays);
    parser = new XMLParser({
      ignoreAttributes: true,
      ignoreDeclaration: true,
      ignorePiTags: true,
      parseTagValue: false,
      trimValues: false,
      processEntities: true,
      entityDecoder,
      isArray: (_name, jpath) => arrayPaths.has(String(jpath)),
    });
    parsers.set(cacheKey, parser);
  }
  return parser;
}

/**
 * Parses a request body into `{ Root: ... }`; anything but one well-formed root element (no
 * DOCTYPE) throws S3Error MalformedXML. Leaf values are strings, exactly as sent: not trimmed,
 * not converted to numbers or booleans, CRLF normalised to LF as XML requires. Bytes must be
 * UTF-8 (S3 documents are); raw control characters are tolerated, as clients send them.
 */
export function parseXml(input: string | Uint8Array, opts: ParseXmlOptions = {}): XmlElement {
  const text = typeof input === 'string' ? input : decodeUtf8(input);
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  if (/<!DOCTYPE/i.test(body) || XMLValidator.validate(body) !== true) throw malformed();
  let doc: unknown;
  try {
    doc = parserFor(opts.arrays ?? []).parse(body);
  } catch (err) {
    if (err instanceof S3Error) throw err;
    throw malformed();
  }
  if (!isSingleRoot(doc)) throw malformed();
  dropIndentation(doc);
  return doc;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function decodeUtf8(bytes: Uint8Array): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    throw malformed();
  }
}

// With trimValues off, the indentation between child elements shows up as '#text'.
function dropIndentation(node: XmlNode): void {
  if (typeof node === 'string') return;
  if (Array.isArray(node)) {
    node.forEach(dropIndentation);
    return;
  }
  const text = node['#text'];
  if (typeof text === 'string' && text.trim() === '') delete node['#text'];
  for (const child of Object.values(node)) dropIndentation(child);
}

function isSingleRoot(doc: unknown): doc is XmlElement {
  if (typeof doc !== 'object' || doc === null) return false;
  const roots = Object.values(doc);
  return roots.length === 1 && !Array.isArray(roots[0]);
}
