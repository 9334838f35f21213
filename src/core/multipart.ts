// Completing a multipart upload, for both doors: the requested parts must be in ascending
// order, exist with the given ETags, and be at least 5 MiB but the last. The object is named
// 'upload:<id>' over its parts, so completing copies no byte.
import { compositeChecksum, multipartEtag, type ChecksumAlgorithm } from '../blobstore/checksums.js';
import { combineCrcs, isCrcAlgorithm } from '../blobstore/crc-combine.js';
import { uploads, type ObjectData, type Queryable } from '../catalog/index.js';
import type { Upload, UploadPart } from '../catalog/queries/uploads.js';
import { InvalidError } from '../errors.js';
import { UPLOAD_ADDRESS_PREFIX } from './blob-reader.js';
import type { Services } from './services.js';

export const MIN_PART_SIZE = 5 * 1024 * 1024;
export const MAX_PARTS = 10_000;

/** Why a completion was refused, in S3's words (the REST door answers 400 with the message). */
export class MultipartError extends InvalidError {
  constructor(
    readonly reason: 'InvalidPartOrder' | 'InvalidPart' | 'EntityTooSmall',
    message: string,
    readonly details: Record<string, string> = {},
  ) {
    super(message);
  }
}

export interface Assembled {
  object: ObjectData;
  parts: UploadPart[];
  /** Marks the upload completed inside the transaction that stores the object. */
  complete: (tx: Queryable) => Promise<void>;
}

export async function assembleUpload(
  services: Services,
  upload: Upload,
  requested: Array<{ partNumber: number; etag: string }>,
  overrides: Partial<Pick<ObjectData, 'contentType' | 'userMetadata'>> = {},
): Promise<Assembled> {
  const { parts: stored } = await uploads.listParts(services.db, upload.id, { limit: MAX_PARTS });
  const byNumber = new Map(stored.map((p) => [p.partNumber, p]));
  const parts = requested.map((r, i) => {
    if (i > 0 && r.partNumber <= requested[i - 1]!.partNumber) throw new MultipartError('InvalidPartOrder', 'The list of parts was not in ascending order');
    const part = byNumber.get(r.partNumber);
    const etag = r.etag.replaceAll('"', '');
    if (!part || part.etag !== etag) {
      throw new MultipartError('InvalidPart', `part ${r.partNumber} was not uploaded or its ETag differs`, { PartNumber: String(r.partNumber), ETag: etag });
    }
    return part;
  });
  parts.forEach((part, i) => {
    if (i < parts.length - 1 && part.size < MIN_PART_SIZE) {
      throw new MultipartError('EntityTooSmall', `part ${part.partNumber} is smaller than ${MIN_PART_SIZE} bytes`, {
        ProposedSize: String(part.size), MinSizeAllowed: String(MIN_PART_SIZE), PartNumber: String(part.partNumber), ETag: part.etag,
      });
    }
  });
  const algorithm = upload.checksumAlgorithm as ChecksumAlgorithm | null;
  const checksums: ObjectData['checksums'] = {};
  if (algorithm && parts.every((p) => p.checksums[algorithm])) {
    checksums[algorithm] = upload.checksumType === 'FULL_OBJECT' && isCrcAlgorithm(algorithm)
      ? combineCrcs(algorithm, parts.map((p) => ({ checksum: p.checksums[algorithm]!, size: p.size })))
      : await compositeChecksum(algorithm, parts.map((p) => p.checksums[algorithm]!));
  }
  const object: ObjectData = {
    address: `${UPLOAD_ADDRESS_PREFIX}${upload.id}`,
    size: parts.reduce((sum, p) => sum + p.size, 0),
    etag: multipartEtag(parts.map((p) => p.etag)),
    contentType: overrides.contentType ?? upload.contentType ?? 'binary/octet-stream',
    userMetadata: overrides.userMetadata ?? upload.userMetadata,
    httpHeaders: upload.httpHeaders,
    checksums,
    sourceMetadata: null,
  };
  const complete = async (tx: Queryable) => {
    await uploads.getOpenUpload(tx, upload.repoId, upload.path, upload.id, true);
    await uploads.markCompleted(tx, upload.id, parts.map((p) => p.partNumber));
  };
  return { object, parts, complete };
}
