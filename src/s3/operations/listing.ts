// What ListObjects and ListObjectsV2 share: reading one page of the bucket's view and writing
// its Contents and CommonPrefixes.
import { type ListItem, type ObjectSummary, type Page } from '../../catalog/index.js';
import { listSummaries } from '../../core/objects.js';
import type { S3Context } from '../context.js';
import { quoteEtag } from '../protocol/etag.js';
import { queryValue } from '../protocol/headers.js';
import { encodeIfAsked, parseEncodingType, parseListLimit } from '../protocol/tokens.js';
import { resolveTarget } from '../target.js';
import { escapeXml } from '../protocol/xml-escape.js';
import { buildXmlFragment, isoDate, RawXmlBytes } from '../xml.js';
import { owner } from './shared.js';

export interface Listing {
  page: Page<ListItem<ObjectSummary>>;
  prefix: string;
  delimiter: string;
  encoding: 'url' | undefined;
  limit: number;
}

/**
 * `start` is where the page begins: a continuation token's position, or the client's marker /
 * start-after. Either resumes after that key, or past the whole common prefix when it names
 * one, as S3 does for a client resuming from a NextMarker that was a common prefix.
 */
export async function list(ctx: S3Context, start: string | null): Promise<Listing> {
  const { target } = await resolveTarget(ctx, 'ListObjects');
  const prefix = queryValue(ctx.query, 'prefix') ?? '';
  const delimiter = queryValue(ctx.query, 'delimiter') ?? '';
  const encoding = parseEncodingType(queryValue(ctx.query, 'encoding-type'));
  const limit = parseListLimit(queryValue(ctx.query, 'max-keys'));
  const page: Page<ListItem<ObjectSummary>> = limit === 0
    ? { items: [], hasMore: false, next: null }
    : await listSummaries(ctx.services, target, { prefix, delimiter, limit, cursor: start });
  return { page, prefix, delimiter, encoding, limit };
}

/** A page's `<Contents>` as sent, by encoding and owner: a page re-read by the next walk is not written again. */
const writtenContents = new WeakMap<Listing['page'], Map<string, RawXmlBytes>>();

/**
 * The page's objects as `<Contents>` elements, written directly (a page has up to a thousand,
 * and building each as an object for buildXml cost more than the rest of the response) and
 * encoded once per page: pages are shared by the walks that read them at the same or a later
 * head (core/head-cache.ts) and never modified, so their markup can be kept with them.
 */
export function contents(ctx: S3Context, l: Listing, withOwner: boolean): RawXmlBytes {
  const ownerXml = withOwner ? buildXmlFragment('Owner', owner(ctx.caller)) : '';
  let written = writtenContents.get(l.page);
  if (!written) writtenContents.set(l.page, (written = new Map()));
  const variant = `${l.encoding ?? ''}\0${ownerXml}`;
  let markup = written.get(variant);
  if (!markup) written.set(variant, (markup = new RawXmlBytes(encodeAll(contentsMarkup(l, ownerXml)))));
  return markup;
}

function contentsMarkup(l: Listing, ownerXml: string): string[] {
  const elements: string[] = [];
  for (const item of l.page.items) {
    if (item.type !== 'object') continue;
    const { entry } = item;
    let algorithms = '';
    for (const algorithm in entry.checksums) algorithms += `<ChecksumAlgorithm>${algorithm}</ChecksumAlgorithm>`;
    elements.push(`<Contents><Key>${escapeXml(encodeIfAsked(item.path, l.encoding))}</Key><LastModified>${isoDate(entry.lastModified)}</LastModified>`
      + `<ETag>${escapeXml(quoteEtag(entry.etag))}</ETag>${algorithms}<Size>${entry.size}</Size>${ownerXml}<StorageClass>STANDARD</StorageClass></Contents>`);
  }
  return elements;
}

/** Small strings encoded one by one into one buffer: several times faster than one string of them all. */
function encodeAll(strings: string[]): Buffer {
  let total = 0;
  for (const s of strings) total += Buffer.byteLength(s);
  const bytes = Buffer.allocUnsafe(total);
  let at = 0;
  for (const s of strings) at += bytes.write(s, at);
  return bytes;
}

export const prefixes = (l: Listing) =>
  l.page.items.filter((i) => i.type === 'prefix').map((i) => ({ Prefix: encodeIfAsked(i.path, l.encoding) }));
