// The blob store seam: immutable byte blobs at random physical addresses. The catalog makes a
// blob visible by referencing its address in a transaction; until then (or after the last
// reference is gone) the garbage collector may delete it. Implementations: fs-store, s3-store.
import type { Readable } from 'node:stream';
import { InvalidError } from '../errors.js';
import type { ChecksumAlgorithm, Checksums, Hasher } from './checksums.js';

/** A Node readable or any async iterable of byte chunks (a generator, a web ReadableStream). */
export type BlobBody = AsyncIterable<Uint8Array> | NodeJS.ReadableStream;

export interface PutOptions {
  /** Flexible checksums to compute while streaming; MD5 is always computed. */
  checksums?: readonly ChecksumAlgorithm[];
  /** When given, a body of any other length is refused with BlobSizeMismatchError. */
  expectedSize?: number;
  /** Makes the hasher of the body (for these checksums); default: hashing on this thread. */
  hasher?: (checksums: readonly ChecksumAlgorithm[]) => Hasher;
}

export interface PutResult {
  address: string;
  size: number;
  md5Hex: string;
  /** base64 big-endian digests, as in `x-amz-checksum-*` headers, for the requested algorithms. */
  checksums: Checksums;
}

/** Byte offsets, both inclusive. `end` past the last byte is clamped, as HTTP ranges are. */
export interface ByteRange {
  start: number;
  end: number;
}

export interface BlobStat {
  size: number;
  lastModified: Date;
}

export interface BlobListing {
  address: string;
  lastModified: Date;
}

/** Response header overrides a presigned GET carries (downloads under a file name). */
export interface PresignGetOptions {
  responseContentType?: string;
  responseContentDisposition?: string;
}

export interface BlobStore {
  readonly kind: 'fs' | 's3';
  /**
   * Streams `body` to a new address; the bytes are durable when it resolves. On a size
   * mismatch or a failing body it rejects and leaves nothing readable (at worst an
   * unreferenced blob or temporary that the garbage collector removes).
   */
  put(body: BlobBody, opts?: PutOptions): Promise<PutResult>;
  /** NotFoundError if missing; InvalidError if `range.start` is not inside the blob. Consume or destroy the stream. */
  get(address: string, range?: ByteRange): Promise<Readable>;
  stat(address: string): Promise<BlobStat | null>;
  /** Idempotent: deleting a missing blob succeeds. */
  delete(address: string): Promise<void>;
  /** Every blob (for the garbage collector), in no particular order; foreign files/keys are skipped. */
  list(): AsyncIterable<BlobListing>;
  /** A fresh address for a presigned upload (`put` picks its own). */
  newAddress(): string;
  /** A URL the client PUTs the bytes to directly (S3 store only). */
  presignPut?(address: string, expiresSeconds: number): Promise<string>;
  /** A URL the client GETs directly (S3 store only); clients may add their own Range header. */
  presignGet?(address: string, expiresSeconds: number, opts?: PresignGetOptions): Promise<string>;
  /**
   * Removes leftovers of interrupted writes older than `olderThan` (fs: temporary files; S3:
   * incomplete multipart uploads) and returns how many. Called by the garbage collector.
   */
  deleteStaleTemporaries(olderThan: Date): Promise<number>;
  close(): Promise<void>;
}

/** The body was not `expected` bytes long; `received` is a lower bound when it was too long. */
export class BlobSizeMismatchError extends InvalidError {
  constructor(
    readonly expected: number,
    readonly received: number,
  ) {
    super(
      received > expected
        ? `body is longer than the expected ${expected} bytes`
        : `body has ${received} bytes, ${expected} were expected`,
      'size',
    );
  }
}

/** Checks and clamps a range against a blob of `size` bytes (inclusive end). */
export function resolveRange(range: ByteRange, size: number): ByteRange {
  const { start, end } = range;
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start)
    throw new InvalidError(`invalid byte range ${start}-${end}`, 'range');
  if (start >= size) throw new InvalidError(`byte range ${start}-${end} starts past the end of a ${size}-byte blob`, 'range');
  return { start, end: Math.min(end, size - 1) };
}

export function validateExpectedSize(expectedSize: number | undefined): void {
  if (expectedSize !== undefined && (!Number.isSafeInteger(expectedSize) || expectedSize < 0))
    throw new InvalidError(`invalid expected size ${expectedSize}`, 'size');
}
