// ListObjectsV2: continuation tokens, start-after, fetch-owner.
import type { S3Context, S3Response } from '../context.js';
import { queryValue } from '../protocol/headers.js';
import { decodeContinuationToken, encodeContinuationToken, encodeIfAsked } from '../protocol/tokens.js';
import { buildXmlBuffer } from '../xml.js';
import { contents, list, prefixes } from './listing.js';

export async function listObjectsV2(ctx: S3Context): Promise<S3Response> {
  const token = queryValue(ctx.query, 'continuation-token');
  const startAfter = queryValue(ctx.query, 'start-after');
  const l = await list(ctx, token ? decodeContinuationToken(token).after : startAfter ?? null);
  const items = l.page.items;
  const last = items[items.length - 1];
  return {
    body: buildXmlBuffer('ListBucketResult', {
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
