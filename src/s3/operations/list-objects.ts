// ListObjects (v1), ListObjectsV2 and ListObjectVersions over the bucket's view.
import { reads, type ListItem, type Page } from '../../catalog/index.js';
import { listObjects as listAt } from '../../core/objects.js';
import type { S3Context, S3Response } from '../context.js';
import { quoteEtag } from '../protocol/etag.js';
import { queryValue } from '../protocol/headers.js';
import { decodeContinuationToken, encodeContinuationToken, encodeIfAsked, parseEncodingType, parseListLimit } from '../protocol/tokens.js';
import { buildXml } from '../xml.js';
import { resolveTarget } from '../target.js';
import { owner, versionIdOf } from './shared.js';

interface Listing {
  page: Page<ListItem>;
  prefix: string;
  delimiter: string;
  encoding: 'url' | undefined;
  limit: number;
}

async function list(ctx: S3Context, start: { after?: string | null; cursor?: string | null }): Promise<Listing> {
  const { target } = await resolveTarget(ctx, 'ListObjects');
  const prefix = queryValue(ctx.query, 'prefix') ?? '';
  const delimiter = queryValue(ctx.query, 'delimiter') ?? '';
  const encoding = parseEncodingType(queryValue(ctx.query, 'encoding-type'));
  const limit = parseListLimit(queryValue(ctx.query, 'max-keys'));
  const page: Page<ListItem> = limit === 0
    ? { items: [], hasMore: false, next: null }
    : await listAt(ctx.services, target, { prefix, delimiter, limit, ...start });
  return { page, prefix, delimiter, encoding, limit };
}

function contents(ctx: S3Context, l: Listing, withOwner: boolean) {
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

const prefixes = (l: Listing) =>
  l.page.items.filter((i) => i.type === 'prefix').map((i) => ({ Prefix: encodeIfAsked(i.path, l.encoding) }));

export async function listObjectsV2(ctx: S3Context): Promise<S3Response> {
  const token = queryValue(ctx.query, 'continuation-token');
  const startAfter = queryValue(ctx.query, 'start-after');
  const l = await list(ctx, token ? { cursor: decodeContinuationToken(token).after } : { after: startAfter ?? null });
  const items = l.page.items;
  const last = items[items.length - 1];
  return {
    body: buildXml('ListBucketResult', {
      Name: ctx.bucket,
      Prefix: encodeIfAsked(l.prefix, l.encoding),
      Delimiter: l.delimiter ? encodeIfAsked(l.delimiter, l.encoding) : undefined,
      MaxKeys: l.limit,
      EncodingType: l.encoding,
      KeyCount: items.length,
      IsTruncated: l.page.hasMore,
      ContinuationToken: token,
      NextContinuationToken: l.page.hasMore && last ? encodeContinuationToken({ after: last.path, kind: last.type === 'prefix' ? 'prefix' : 'key' }) : undefined,
      StartAfter: startAfter !== undefined ? encodeIfAsked(startAfter, l.encoding) : undefined,
      Contents: contents(ctx, l, queryValue(ctx.query, 'fetch-owner') === 'true'),
      CommonPrefixes: prefixes(l),
    }),
  };
}

export async function listObjects(ctx: S3Context): Promise<S3Response> {
  const marker = queryValue(ctx.query, 'marker') ?? '';
  const l = await list(ctx, { after: marker || null });
  const last = l.page.items[l.page.items.length - 1];
  return {
    body: buildXml('ListBucketResult', {
      Name: ctx.bucket,
      Prefix: encodeIfAsked(l.prefix, l.encoding),
      Marker: encodeIfAsked(marker, l.encoding),
      // S3 sends NextMarker only with a delimiter; clients use the last key otherwise.
      NextMarker: l.page.hasMore && l.delimiter && last ? encodeIfAsked(last.path, l.encoding) : undefined,
      MaxKeys: l.limit,
      Delimiter: l.delimiter ? encodeIfAsked(l.delimiter, l.encoding) : undefined,
      EncodingType: l.encoding,
      IsTruncated: l.page.hasMore,
      Contents: contents(ctx, l, true),
      CommonPrefixes: prefixes(l),
    }),
  };
}

/** Every version of each key across history; a commit that deleted a key shows as a delete marker. */
export async function listObjectVersions(ctx: S3Context): Promise<S3Response> {
  const { target } = await resolveTarget(ctx, 'ListObjects');
  const prefix = queryValue(ctx.query, 'prefix') ?? '';
  const limit = parseListLimit(queryValue(ctx.query, 'max-keys'));
  const encoding = parseEncodingType(queryValue(ctx.query, 'encoding-type'));
  const keyMarker = queryValue(ctx.query, 'key-marker') ?? '';
  const versionMarker = queryValue(ctx.query, 'version-id-marker');
  const afterSeq = versionMarker && /^v\d+$/.test(versionMarker) ? Number(versionMarker.slice(1)) : undefined;
  const rows = await reads.listVersions(ctx.services.db, target.repo.id, {
    prefix, afterPath: keyMarker, ...(afterSeq !== undefined ? { afterSeq } : { afterSeq: -1 }), limit: limit + 1,
  });
  const page = rows.slice(0, limit);
  const versions: object[] = [];
  const markers: object[] = [];
  for (const e of page) {
    if (e.endedByDelete) {
      // The version ended without a successor: that commit deleted the key.
      markers.push({ Key: encodeIfAsked(e.path, encoding), VersionId: `d${e.toSeq}`, IsLatest: false, LastModified: e.lastModified, Owner: owner(ctx.caller) });
    }
    versions.push({
      Key: encodeIfAsked(e.path, encoding), VersionId: versionIdOf(e), IsLatest: e.toSeq === null, LastModified: e.lastModified,
      ETag: quoteEtag(e.etag), Size: e.size, StorageClass: 'STANDARD', Owner: owner(ctx.caller),
    });
  }
  const last = page[page.length - 1];
  const truncated = rows.length > limit;
  return {
    body: buildXml('ListVersionsResult', {
      Name: ctx.bucket, Prefix: encodeIfAsked(prefix, encoding), KeyMarker: keyMarker, VersionIdMarker: versionMarker ?? '',
      NextKeyMarker: truncated && last ? encodeIfAsked(last.path, encoding) : undefined,
      NextVersionIdMarker: truncated && last ? versionIdOf(last) : undefined,
      MaxKeys: limit, EncodingType: encoding, IsTruncated: truncated, Version: versions, DeleteMarker: markers,
    }),
  };
}
