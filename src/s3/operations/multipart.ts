// The multipart family: Create, UploadPart, UploadPartCopy, Complete, Abort, ListParts,
// ListMultipartUploads. Uploads live in the catalog (durable across restarts); completing one
// names the object 'upload:<id>' over its parts, so no byte is copied.
import { isChecksumAlgorithm, type ChecksumAlgorithm } from '../../blobstore/checksums.js';
import { uploads } from '../../catalog/index.js';
import { assembleUpload } from '../../core/multipart.js';
import { applyChanges, openObject } from '../../core/objects.js';
import type { S3Context, S3Response } from '../context.js';
import { conditionsFromHeaders } from '../protocol/conditional.js';
import { checkCopySourceRange, parseCopySourceRange } from '../protocol/copy-source.js';
import { MAX_PARTS, quoteEtag, unquoteEtag } from '../protocol/etag.js';
import { headerValue, queryValue } from '../protocol/headers.js';
import { systemMetadataFromHeaders, userMetadataFromHeaders } from '../protocol/metadata.js';
import { encodeIfAsked, parseEncodingType, parseListLimit } from '../protocol/tokens.js';
import { S3Error } from '../s3-error.js';
import { buildXml, parseXml } from '../xml.js';
import { resolveTarget, type ResolvedTarget } from '../target.js';
import { readBody } from './body.js';
import { requestedAlgorithms, verifyDeclared } from './checksums.js';
import { copySourceEntry } from './copy-object.js';
import { owner } from './shared.js';
import { httpHeadersOf, writeCondition } from './write-helpers.js';

async function openUpload(ctx: S3Context, resolved: ResolvedTarget) {
  const id = queryValue(ctx.query, 'uploadId') ?? '';
  const upload = await uploads.getOpenUpload(ctx.services.db, resolved.repo.id, ctx.key!, id);
  if ((upload.sessionId ?? null) !== (resolved.target.session?.id ?? null)) throw new S3Error('NoSuchUpload');
  return upload;
}

function partNumberOf(ctx: S3Context): number {
  const n = Number(queryValue(ctx.query, 'partNumber'));
  if (!Number.isInteger(n) || n < 1 || n > MAX_PARTS) throw new S3Error('InvalidArgument', `Part number must be an integer between 1 and ${MAX_PARTS}, inclusive`);
  return n;
}

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

export async function uploadPart(ctx: S3Context): Promise<S3Response> {
  const resolved = await resolveTarget(ctx, 'PutObject', { write: true });
  const partNumber = partNumberOf(ctx);
  const upload = await openUpload(ctx, resolved);
  const algorithms = new Set<ChecksumAlgorithm>(requestedAlgorithms(ctx));
  if (upload.checksumAlgorithm) algorithms.add(upload.checksumAlgorithm as ChecksumAlgorithm);
  const stored = await ctx.services.blobs.put(ctx.body, {
    checksums: [...algorithms], ...(ctx.contentLength !== undefined ? { expectedSize: ctx.contentLength } : {}),
  });
  await verifyDeclared(ctx, { etag: stored.md5Hex, checksums: stored.checksums });
  await uploads.putPart(ctx.services.db, upload.id, { partNumber, address: stored.address, size: stored.size, etag: stored.md5Hex, checksums: stored.checksums });
  const headers: Record<string, string> = { etag: quoteEtag(stored.md5Hex) };
  for (const [a, v] of Object.entries(stored.checksums)) headers[`x-amz-checksum-${a.toLowerCase()}`] = v;
  return { headers };
}

export async function uploadPartCopy(ctx: S3Context): Promise<S3Response> {
  const resolved = await resolveTarget(ctx, 'PutObject', { write: true });
  const partNumber = partNumberOf(ctx);
  const upload = await openUpload(ctx, resolved);
  const source = await copySourceEntry(ctx);
  const range = parseCopySourceRange(headerValue(ctx.headers, 'x-amz-copy-source-range'));
  if (range) checkCopySourceRange(range, source.size);
  const bytes = await openObject(ctx.services, source, range);
  const algorithms = upload.checksumAlgorithm ? [upload.checksumAlgorithm as ChecksumAlgorithm] : [];
  const stored = await ctx.services.blobs.put(bytes, { checksums: algorithms });
  await uploads.putPart(ctx.services.db, upload.id, { partNumber, address: stored.address, size: stored.size, etag: stored.md5Hex, checksums: stored.checksums });
  return { body: buildXml('CopyPartResult', { ETag: quoteEtag(stored.md5Hex), LastModified: new Date() }) };
}

interface CompleteRequest { CompleteMultipartUpload?: { Part?: Array<{ PartNumber?: string; ETag?: string }> } }

export async function completeMultipartUpload(ctx: S3Context): Promise<S3Response> {
  const resolved = await resolveTarget(ctx, 'PutObject', { write: true });
  const upload = await openUpload(ctx, resolved);
  const doc = parseXml(await readBody(ctx, 4 * 1024 * 1024), { arrays: ['CompleteMultipartUpload.Part'] }) as unknown as CompleteRequest;
  const requested = (doc.CompleteMultipartUpload?.Part ?? []).map((p) => ({ partNumber: Number(p.PartNumber), etag: unquoteEtag(p.ETag ?? '') }));
  if (requested.length === 0) throw new S3Error('MalformedXML', 'You must specify at least one part');
  const { object, complete } = await assembleUpload(ctx.services, upload, requested);
  const algorithm = upload.checksumAlgorithm as ChecksumAlgorithm | null;
  const checksums = object.checksums;
  const commit = await applyChanges(ctx.services, resolved.target, ctx.caller!.actor, [{ path: ctx.key!, object }], `Put ${ctx.key}`, {
    conditions: { [ctx.key!]: writeCondition(conditionsFromHeaders(ctx.headers)) },
    inTx: complete,
  });
  return {
    headers: commit ? { 'x-amz-version-id': `v${commit.seq}` } : {},
    body: buildXml('CompleteMultipartUploadResult', {
      Location: `/${ctx.bucket}/${ctx.key}`, Bucket: ctx.bucket, Key: ctx.key, ETag: quoteEtag(object.etag),
      ...(algorithm && checksums[algorithm] ? { [`Checksum${algorithm}`]: checksums[algorithm] } : {}),
    }),
  };
}

export async function abortMultipartUpload(ctx: S3Context): Promise<S3Response> {
  const resolved = await resolveTarget(ctx, 'PutObject', { write: true });
  const upload = await openUpload(ctx, resolved);
  await uploads.abortUpload(ctx.services.db, resolved.repo.id, ctx.key!, upload.id);
  return { status: 204 };
}

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
      Part: parts.map((p) => ({
        PartNumber: p.partNumber, LastModified: p.uploadedAt, ETag: quoteEtag(p.etag), Size: p.size,
        ...Object.fromEntries(Object.entries(p.checksums).map(([a, v]) => [`Checksum${a}`, v])),
      })),
    }),
  };
}

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
