// ListObjects (v1): marker, NextMarker with a delimiter.
import type { S3Context, S3Response } from '../context.js';
import { queryValue } from '../protocol/headers.js';
import { encodeIfAsked } from '../protocol/tokens.js';
import { buildXmlBuffer } from '../xml.js';
import { contents, list, prefixes } from './listing.js';

export async function listObjects(ctx: S3Context): Promise<S3Response> {
  const marker = queryValue(ctx.query, 'marker') ?? '';
  const l = await list(ctx, marker || null);
  const last = l.page.items[l.page.items.length - 1];
  return {
    body: buildXmlBuffer('ListBucketResult', {
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
