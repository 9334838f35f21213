// UploadPartCopy: a part copied from an object (or a range of it) into a new blob.
import type { ChecksumAlgorithm } from '../../blobstore/checksums.js';
import { uploads } from '../../catalog/index.js';
import { storeBlob } from '../../core/blob-writer.js';
import { openObject } from '../../core/objects.js';
import type { S3Context, S3Response } from '../context.js';
import { checkCopySourceRange, parseCopySourceRange } from '../protocol/copy-source.js';
import { quoteEtag } from '../protocol/etag.js';
import { headerValue } from '../protocol/headers.js';
import { buildXml } from '../xml.js';
import { resolveTarget } from '../target.js';
import { copySourceEntry } from './copy-object.js';
import { openUpload, partNumberOf } from './upload-helpers.js';

export async function uploadPartCopy(ctx: S3Context): Promise<S3Response> {
  const resolved = await resolveTarget(ctx, 'PutObject', { write: true });
  const partNumber = partNumberOf(ctx);
  const upload = await openUpload(ctx, resolved);
  const source = await copySourceEntry(ctx);
  const range = parseCopySourceRange(headerValue(ctx.headers, 'x-amz-copy-source-range'));
  if (range) checkCopySourceRange(range, source.size);
  const bytes = await openObject(ctx.services, source, range);
  const algorithms = upload.checksumAlgorithm ? [upload.checksumAlgorithm as ChecksumAlgorithm] : [];
  const size = range ? range.end - range.start + 1 : source.size;
  const stored = await storeBlob(ctx.services, bytes, { checksums: algorithms, expectedSize: size });
  await uploads.putPart(ctx.services.db, upload.id, { partNumber, address: stored.address, size: stored.size, etag: stored.md5Hex, checksums: stored.checksums });
  return { body: buildXml('CopyPartResult', { ETag: quoteEtag(stored.md5Hex), LastModified: new Date() }) };
}
