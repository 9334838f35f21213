// The REST upload flow (API-CONTRACT §3.3): start → the client PUTs bytes to a self-authorizing
// URL → finalize checks size and checksum and stages the object in the session. With the S3
// blob store the URL is a presigned URL of the backend, so Trove is not in the data path.
import { uploads, type ObjectData, type Repository, type Session } from '../catalog/index.js';
import type { BlobBody } from '../blobstore/blob-store.js';
import { digestBlob } from '../blobstore/digest-blob.js';
import { InvalidError, NotFoundError } from '../errors.js';
import type { Caller } from './caller.js';
import { applyChanges } from './objects.js';
import { storeBlob } from './blob-writer.js';
import type { Services } from './services.js';
import { issueUploadToken, UPLOAD_TOKEN_TTL_SECONDS, verifyUploadToken } from './upload-tokens.js';

export interface StartedUpload {
  token: string;
  /** A presigned URL of the blob backend, or null when bytes go to Trove's own upload route. */
  presignedUrl: string | null;
}

export async function startUpload(services: Services, caller: Caller, repo: Repository, session: Session, path: string): Promise<StartedUpload> {
  const presign = services.blobs.presignPut;
  const plannedAddress = presign ? services.blobs.newAddress() : null;
  const upload = await uploads.createUpload(services.db, {
    repoId: repo.id, sessionId: session.id, path, contentType: null, userMetadata: {}, httpHeaders: {},
    checksumAlgorithm: null, plannedAddress, ownerId: caller.principal.id,
  });
  const token = issueUploadToken(services, upload.id);
  const presignedUrl = presign && plannedAddress ? await presign.call(services.blobs, plannedAddress, UPLOAD_TOKEN_TTL_SECONDS) : null;
  return { token, presignedUrl };
}

/** Bytes PUT to Trove's upload URL: stored as the upload's (only) part. Returns the MD5 hex. */
export async function receiveUpload(services: Services, token: string, body: BlobBody, size?: number): Promise<string> {
  const claim = verifyUploadToken(services, token);
  const upload = claim ? await uploads.getUploadById(services.db, claim.uploadId) : null;
  if (!claim || !upload || upload.status !== 'open') throw new NotFoundError('upload', 'unknown or expired upload URL');
  const stored = await storeBlob(services, body, { expectedSize: size });
  await uploads.putPart(services.db, upload.id, {
    partNumber: claim.partNumber || 1, address: stored.address, size: stored.size, etag: stored.md5Hex, checksums: stored.checksums,
  });
  return stored.md5Hex;
}

export interface FinalizeRequest {
  token: string;
  /** The MD5 hex the client saw as ETag, when it got one. */
  checksum?: string;
  sizeBytes?: number;
  contentType: string;
  metadata: Record<string, string>;
}

export async function finalizeUpload(
  services: Services,
  caller: Caller,
  repo: Repository,
  session: Session,
  path: string,
  req: FinalizeRequest,
): Promise<ObjectData> {
  const claim = verifyUploadToken(services, req.token);
  if (!claim) throw new InvalidError('invalid or expired upload_token', 'upload_token');
  const upload = await uploads.getOpenUpload(services.db, repo.id, path, claim.uploadId).catch(() => {
    throw new InvalidError('the upload_token does not belong to this path', 'upload_token');
  });
  if (upload.sessionId !== session.id) throw new InvalidError('the upload_token belongs to another session', 'upload_token');
  const stored = await storedBytes(services, upload.id, upload.plannedAddress);
  if (req.sizeBytes !== undefined && req.sizeBytes !== stored.size) {
    throw new InvalidError(`size mismatch: expected ${req.sizeBytes} bytes, received ${stored.size}`, 'size_bytes');
  }
  const checksum = req.checksum?.replaceAll('"', '').toLowerCase();
  if (checksum && checksum !== stored.md5Hex) throw new InvalidError('checksum mismatch: the uploaded bytes differ', 'checksum');
  const object: ObjectData = {
    address: stored.address, size: stored.size, etag: stored.md5Hex, contentType: req.contentType,
    userMetadata: req.metadata, httpHeaders: {}, checksums: stored.checksums, sourceMetadata: null,
  };
  await applyChanges(services, { repo, seq: 'head', session }, caller.actor, [{ path, object }], `Put ${path}`, {
    inTx: (tx) => uploads.markCompleted(tx, upload.id, [1]),
  });
  return object;
}

async function storedBytes(services: Services, uploadId: string, plannedAddress: string | null) {
  if (plannedAddress) {
    const stat = await services.blobs.stat(plannedAddress);
    if (!stat) throw new InvalidError('nothing was uploaded to the upload URL', 'upload_token');
    return digestBlob(services.blobs, plannedAddress);
  }
  const { parts } = await uploads.listParts(services.db, uploadId, { limit: 1 });
  const part = parts[0];
  if (!part) throw new InvalidError('nothing was uploaded to the upload URL', 'upload_token');
  return { address: part.address, size: part.size, md5Hex: part.etag, checksums: part.checksums };
}
