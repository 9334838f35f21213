// ListParts: an open upload's parts, paginated by part-number-marker.
import { uploads } from '../../catalog/index.js';
import type { S3Context, S3Response } from '../context.js';
import { quoteEtag } from '../protocol/etag.js';
import { queryValue } from '../protocol/headers.js';
import { parseListLimit } from '../protocol/tokens.js';
import { buildXml } from '../xml.js';
import { resolveTarget } from '../target.js';
import { owner } from './shared.js';
import { openUpload } from './upload-helpers.js';

export async function listParts(ctx: S3Context): Promise<S3Response> {
  const resolved = await resolveTarget(ctx, 'PutObject');
  const upload = await openUpload(ctx, resolved);
  const limit = parseListLimit(queryValue(ctx.query, 'max-parts'), 'max-parts');
  const marker = Number(queryValue(ctx.query, 'part-number-marker') ?? 0) || 0;
  const { parts, hasMore } = await uploads.listParts(ctx.services.db, upload.id, { afterPartNumber: marker, limit });
  return {
    body: buildXml('ListPartsResult', {
      Bucket: ctx.bucket, Key: ctx.key, UploadId: upload.id, Initiator: owner(ctx.caller), Owner: owner(ctx.caller),
      StorageClass: 'STANDARD', PartNumberMarker: marker, NextPartNumberMarker: parts[parts.length - 1]?.partNumber ?? marker,
      MaxParts: limit, IsTruncated: hasMore, ChecksumAlgorithm: upload.checksumAlgorithm ?? undefined,
      ChecksumType: upload.checksumAlgorithm ? upload.checksumType : undefined,
      Part: parts.map((p) => ({
        PartNumber: p.partNumber, LastModified: p.uploadedAt, ETag: quoteEtag(p.etag), Size: p.size,
        ...Object.fromEntries(Object.entries(p.checksums).map(([a, v]) => [`Checksum${a}`, v])),
      })),
    }),
  };
}
