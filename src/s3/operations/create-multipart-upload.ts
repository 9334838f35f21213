// CreateMultipartUpload: a durable upload in the catalog, with its metadata, checksum algorithm
// and checksum type: COMPOSITE (the default, a checksum of the part checksums) or FULL_OBJECT
// (the whole object's CRC, for the CRC algorithms; the only type S3 has for CRC64NVME).
import { isChecksumAlgorithm } from '../../blobstore/checksums.js';
import { isCrcAlgorithm } from '../../blobstore/crc-combine.js';
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
  const type = checksumTypeOf(algorithm, headerValue(ctx.headers, 'x-amz-checksum-type')?.toUpperCase());
  const upload = await uploads.createUpload(ctx.services.db, {
    repoId: resolved.repo.id, sessionId: resolved.target.session?.id ?? null, path: ctx.key!,
    contentType: system.contentType, userMetadata: userMetadataFromHeaders(ctx.headers), httpHeaders: httpHeadersOf(system),
    checksumAlgorithm: algorithm, checksumType: type ?? 'COMPOSITE', plannedAddress: null, ownerId: ctx.caller!.principal.id,
  });
  return {
    headers: algorithm ? { 'x-amz-checksum-algorithm': algorithm, 'x-amz-checksum-type': type! } : {},
    body: buildXml('InitiateMultipartUploadResult', { Bucket: ctx.bucket, Key: ctx.key, UploadId: upload.id }),
  };
}

function checksumTypeOf(algorithm: string | null, requested: string | undefined): 'COMPOSITE' | 'FULL_OBJECT' | null {
  if (requested !== undefined && requested !== 'COMPOSITE' && requested !== 'FULL_OBJECT') {
    throw new S3Error('InvalidRequest', `Unsupported checksum type ${requested}`);
  }
  if (!algorithm) {
    if (requested) throw new S3Error('InvalidRequest', 'x-amz-checksum-type needs x-amz-checksum-algorithm');
    return null;
  }
  const type = requested ?? (algorithm === 'CRC64NVME' ? 'FULL_OBJECT' : 'COMPOSITE');
  if (type === 'FULL_OBJECT' && !isCrcAlgorithm(algorithm)) throw new S3Error('InvalidRequest', `The FULL_OBJECT checksum type cannot be used with the ${algorithm.toLowerCase()} checksum algorithm.`);
  if (type === 'COMPOSITE' && algorithm === 'CRC64NVME') throw new S3Error('InvalidRequest', 'The COMPOSITE checksum type cannot be used with the crc64nvme checksum algorithm.');
  return type;
}
