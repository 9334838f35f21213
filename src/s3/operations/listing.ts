// What ListObjects and ListObjectsV2 share: reading one page of the bucket's view and writing
// its Contents and CommonPrefixes.
import { type ListItem, type Page } from '../../catalog/index.js';
import { listObjects as listAt } from '../../core/objects.js';
import type { S3Context } from '../context.js';
import { quoteEtag } from '../protocol/etag.js';
import { queryValue } from '../protocol/headers.js';
import { encodeIfAsked, parseEncodingType, parseListLimit } from '../protocol/tokens.js';
import { resolveTarget } from '../target.js';
import { owner } from './shared.js';

export interface Listing {
  page: Page<ListItem>;
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
  const page: Page<ListItem> = limit === 0
    ? { items: [], hasMore: false, next: null }
    : await listAt(ctx.services, target, { prefix, delimiter, limit, cursor: start });
  return { page, prefix, delimiter, encoding, limit };
}

export function contents(ctx: S3Context, l: Listing, withOwner: boolean) {
  const objects = l.page.items.filter((i) => i.type === 'object');
  return objects.map((i) => ({
    Key: encodeIfAsked(i.path, l.encoding),
    LastModified: i.entry.lastModified,
    ETag: quoteEtag(i.entry.etag),
    ...(Object.keys(i.entry.checksums).length ? { ChecksumAlgorithm: Object.keys(i.entry.checksums) } : {}),
    Size: i.entry.size,
    ...(withOwner ? { Owner: owner(ctx.caller) } : {}),
    StorageClass: 'STANDARD',
  }));
}

export const prefixes = (l: Listing) =>
  l.page.items.filter((i) => i.type === 'prefix').map((i) => ({ Prefix: encodeIfAsked(i.path, l.encoding) }));
