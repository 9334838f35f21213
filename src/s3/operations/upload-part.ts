// UploadPart: streams one part to a new blob and records it (parts 1–10,000; a part may be replaced).
import type { ChecksumAlgorithm } from '../../blobstore/checksums.js';
import { uploads } from '../../catalog/index.js';
import { storeBlob } from '../../core/blob-writer.js';
import type { S3Context, S3Response } from '../context.js';
import { quoteEtag } from '../protocol/etag.js';
import { resolveTarget } from '../target.js';
import { hashedAlgorithms, keptChecksums, verifyDeclared } from './checksums.js';
import { openUpload, partNumberOf } from './upload-helpers.js';

export async function uploadPart(ctx: S3Context): Promise<S3Response> {
  const resolved = await resolveTarget(ctx, 'PutObject', { write: true });
  const partNumber = partNumberOf(ctx);
  const upload = await openUpload(ctx, resolved);
  const algorithms = new Set<ChecksumAlgorithm>(hashedAlgorithms(ctx));
  if (upload.checksumAlgorithm) algorithms.add(upload.checksumAlgorithm as ChecksumAlgorithm);
  const stored = await storeBlob(ctx.services, ctx.body, { checksums: [...algorithms], expectedSize: ctx.contentLength });
  await verifyDeclared(ctx, { etag: stored.md5Hex, checksums: stored.checksums });
  const checksums = keptChecksums(ctx, stored.checksums);
  if (upload.checksumAlgorithm && stored.checksums[upload.checksumAlgorithm as ChecksumAlgorithm]) {
    checksums[upload.checksumAlgorithm as ChecksumAlgorithm] = stored.checksums[upload.checksumAlgorithm as ChecksumAlgorithm]!;
  }
  await uploads.putPart(ctx.services.db, upload.id, { partNumber, address: stored.address, size: stored.size, etag: stored.md5Hex, checksums });
  const headers: Record<string, string> = { etag: quoteEtag(stored.md5Hex) };
  for (const [a, v] of Object.entries(checksums)) headers[`x-amz-checksum-${a.toLowerCase()}`] = v;
  return { headers };
}
