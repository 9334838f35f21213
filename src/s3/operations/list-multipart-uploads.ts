// ListMultipartUploads: the repository's open uploads, paginated by key-marker and upload-id-marker.
import { uploads } from '../../catalog/index.js';
import type { S3Context, S3Response } from '../context.js';
import { queryValue } from '../protocol/headers.js';
import { encodeIfAsked, parseEncodingType, parseListLimit } from '../protocol/tokens.js';
import { buildXml } from '../xml.js';
import { resolveTarget } from '../target.js';
import { owner } from './shared.js';

export async function listMultipartUploads(ctx: S3Context): Promise<S3Response> {
  const resolved = await resolveTarget(ctx, 'ListObjects');
  const limit = parseListLimit(queryValue(ctx.query, 'max-uploads'), 'max-uploads');
  const encoding = parseEncodingType(queryValue(ctx.query, 'encoding-type'));
  const prefix = queryValue(ctx.query, 'prefix') ?? '';
  const keyMarker = queryValue(ctx.query, 'key-marker') ?? '';
  const uploadIdMarker = queryValue(ctx.query, 'upload-id-marker') ?? '';
  const page = await uploads.listOpenUploads(ctx.services.db, resolved.repo.id, {
    prefix, afterPath: keyMarker, afterId: uploadIdMarker || (keyMarker ? '\u{10ffff}' : ''), limit,
  });
  const last = page.items[page.items.length - 1];
  return {
    body: buildXml('ListMultipartUploadsResult', {
      Bucket: ctx.bucket, KeyMarker: keyMarker, UploadIdMarker: uploadIdMarker,
      NextKeyMarker: page.hasMore && last ? encodeIfAsked(last.path, encoding) : undefined,
      NextUploadIdMarker: page.hasMore && last ? last.id : undefined,
      Prefix: encodeIfAsked(prefix, encoding), MaxUploads: limit, EncodingType: encoding, IsTruncated: page.hasMore,
      Upload: page.items.map((u) => ({
        Key: encodeIfAsked(u.path, encoding), UploadId: u.id, Initiator: owner(ctx.caller), Owner: owner(ctx.caller),
        StorageClass: 'STANDARD', Initiated: u.createdAt,
      })),
    }),
  };
}
