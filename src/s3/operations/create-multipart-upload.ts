// CreateMultipartUpload: a durable upload in the catalog, with its metadata and checksum algorithm.
import { isChecksumAlgorithm } from '../../blobstore/checksums.js';
import { uploads } from '../../catalog/index.js';
import type { S3Context, S3Response } from '../context.js';
import { headerValue } from '../protocol/headers.js';
import { systemMetadataFromHeaders, userMetadataFromHeaders } from '../protocol/metadata.js';
import { S3Error } from '../s3-error.js';
import { buildXml } from '../xml.js';
import { resolveTarget } from '../target.js';
import { httpHeadersOf } from './write-helpers.js';

export async function createMultipartUpload(ctx: S3Context): Promise<S3Response> {
  const resolved = await resolveTarget(ctx, 'PutObject', { write: true });
  const system = systemMetadataFromHeaders(ctx.headers);
  const algorithm = headerValue(ctx.headers, 'x-amz-checksum-algorithm')?.toUpperCase() ?? null;
  if (algorithm && !isChecksumAlgorithm(algorithm)) throw new S3Error('InvalidRequest', `Unsupported checksum algorithm ${algorithm}`);
  const upload = await uploads.createUpload(ctx.services.db, {
    repoId: resolved.repo.id, sessionId: resolved.target.session?.id ?? null, path: ctx.key!,
    contentType: system.contentType, userMetadata: userMetadataFromHeaders(ctx.headers), httpHeaders: httpHeadersOf(system),
    checksumAlgorithm: algorithm, plannedAddress: null, ownerId: ctx.caller!.principal.id,
  });
  return {
    headers: algorithm ? { 'x-amz-checksum-algorithm': algorithm } : {},
    body: buildXml('InitiateMultipartUploadResult', { Bucket: ctx.bucket, Key: ctx.key, UploadId: upload.id }),
  };
}
