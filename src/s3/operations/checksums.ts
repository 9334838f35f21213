// Flexible checksums on writes: which algorithms a request asks for (header, SDK hint or
// trailer), and checking what was received against what the client declared.
import { isChecksumAlgorithm, type ChecksumAlgorithm, type Checksums } from '../../blobstore/checksums.js';
import type { ObjectData } from '../../catalog/index.js';
import type { S3Context } from '../context.js';
import { headerValue } from '../protocol/headers.js';
import { S3Error } from '../s3-error.js';

export function requestedAlgorithms(ctx: S3Context): ChecksumAlgorithm[] {
  const names = new Set<string>();
  for (const header of Object.keys(ctx.headers)) {
    const m = /^x-amz-checksum-(crc32|crc32c|crc64nvme|sha1|sha256)$/.exec(header);
    if (m) names.add(m[1]!.toUpperCase());
  }
  const hint = headerValue(ctx.headers, 'x-amz-sdk-checksum-algorithm') ?? headerValue(ctx.headers, 'x-amz-checksum-algorithm');
  if (hint) names.add(hint.toUpperCase());
  for (const trailer of (headerValue(ctx.headers, 'x-amz-trailer') ?? '').split(',')) {
    const m = /^x-amz-checksum-(\w+)$/.exec(trailer.trim().toLowerCase());
    if (m) names.add(m[1]!.toUpperCase());
  }
  for (const name of names) if (!isChecksumAlgorithm(name)) throw new S3Error('InvalidRequest', `Unsupported checksum algorithm ${name}`);
  return [...names] as ChecksumAlgorithm[];
}

/**
 * What to compute while storing the body: the requested checksums, and SHA-256 when the
 * signed payload hash is to be checked from it (ctx.payloadSha256).
 */
export function hashedAlgorithms(ctx: S3Context): ChecksumAlgorithm[] {
  const requested = requestedAlgorithms(ctx);
  return ctx.payloadSha256 && !requested.includes('SHA256') ? [...requested, 'SHA256'] : requested;
}

/** The checksums to keep with the object: those the client asked for, not ones computed for our own checks. */
export function keptChecksums(ctx: S3Context, checksums: Checksums): Checksums {
  const requested = new Set<string>(requestedAlgorithms(ctx));
  return Object.fromEntries(Object.entries(checksums).filter(([a]) => requested.has(a)));
}

/**
 * Throws XAmzContentSHA256Mismatch unless the body has the signed SHA-256, and BadDigest /
 * InvalidDigest unless every declared digest matches the stored bytes.
 */
export async function verifyDeclared(ctx: S3Context, stored: Pick<ObjectData, 'etag' | 'checksums'>): Promise<void> {
  if (ctx.payloadSha256) {
    const computed = Buffer.from(stored.checksums.SHA256 ?? '', 'base64').toString('hex');
    if (computed !== ctx.payloadSha256.toLowerCase()) {
      throw new S3Error('XAmzContentSHA256Mismatch', undefined, { ClientComputedContentSHA256: ctx.payloadSha256, S3ComputedContentSHA256: computed });
    }
  }
  const md5 = headerValue(ctx.headers, 'content-md5');
  if (md5 !== undefined) {
    const declared = Buffer.from(md5, 'base64');
    if (declared.length !== 16) throw new S3Error('InvalidDigest');
    if (declared.toString('hex') !== stored.etag) throw new S3Error('BadDigest');
  }
  const trailers = await ctx.trailers();
  for (const [algorithm, value] of Object.entries(stored.checksums)) {
    const name = `x-amz-checksum-${algorithm.toLowerCase()}`;
    const declared = trailers[name] ?? headerValue(ctx.headers, name);
    if (declared !== undefined && declared !== value) {
      throw new S3Error('BadDigest', `The ${algorithm} you specified did not match the calculated checksum.`);
    }
  }
}
