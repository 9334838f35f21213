// The blob store on S3 or any S3-compatible service: one object per blob at
// `<prefix>/<address>`. Puts stream through lib-storage's Upload (multipart beyond one part),
// so memory per put is about (queueSize + 1) × partSize whatever the object size.
import {
  AbortMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { InvalidError } from '../errors.js';
import { assertBlobAddress, isBlobAddress, newBlobAddress } from './address.js';
import {
  validateExpectedSize,
  type BlobBody,
  type BlobListing,
  type BlobStat,
  type BlobStore,
  type ByteRange,
  type PresignGetOptions,
  type PutOptions,
  type PutResult,
} from './blob-store.js';
import { createHasher } from './checksums.js';
import { MeteringStream, sourceOf } from './metering-stream.js';
import { isS3NotFound, translateS3Error } from './s3-errors.js';

export interface S3BlobStoreConfig {
  bucket: string;
  /** '' or a key prefix; leading and trailing '/' are ignored. */
  prefix?: string;
  endpoint?: string;
  region: string;
  /** undefined = the AWS SDK's default credential chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  forcePathStyle?: boolean;
  /** Bytes per multipart part (default 8 MiB; S3's minimum is 5 MiB). */
  partSize?: number;
  /** Parts uploaded concurrently per put (default 2). */
  queueSize?: number;
}

const MIB = 1024 * 1024;
const MIN_PART_SIZE = 5 * MIB;
const MAX_PARTS = 10_000;
const MAX_PRESIGN_SECONDS = 7 * 24 * 3600;

export class S3BlobStore implements BlobStore {
  readonly kind = 's3' as const;
  readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;
  private readonly partSize: number;
  private readonly queueSize: number;

  constructor(config: S3BlobStoreConfig) {
    this.bucket = config.bucket;
    this.prefix = (config.prefix ?? '').replace(/^\/+|\/+$/g, '');
    this.partSize = Math.max(config.partSize ?? 8 * MIB, MIN_PART_SIZE);
    this.queueSize = Math.max(1, config.queueSize ?? 2);
    this.client = new S3Client({
      region: config.region,
      endpoint: config.endpoint,
      forcePathStyle: config.forcePathStyle ?? false,
      credentials: config.credentials,
      // Flexible checksums only where S3 demands them: many S3-compatible services reject the
      // aws-chunked trailers the default sends, and presigned PUTs would carry the checksum of
      // an empty body. Buffered parts are still sent with a signed SHA-256 of their payload.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  newAddress(): string {
    return newBlobAddress();
  }

  private keyOf(address: string): string {
    assertBlobAddress(address);
    return this.prefix ? `${this.prefix}/${address}` : address;
  }

  private addressOf(key: string): string | undefined {
    const address = this.prefix ? key.slice(this.prefix.length + 1) : key;
    return (!this.prefix || key.startsWith(`${this.prefix}/`)) && isBlobAddress(address) ? address : undefined;
  }

  /** Large enough that a body of `expectedSize` fits in S3's 10,000 parts. */
  private partSizeFor(expectedSize: number | undefined): number {
    return Math.max(this.partSize, Math.ceil((expectedSize ?? 0) / MAX_PARTS));
  }

  async put(body: BlobBody, opts: PutOptions = {}): Promise<PutResult> {
    validateExpectedSize(opts.expectedSize);
    const hasher = opts.hasher ? opts.hasher(opts.checksums ?? []) : await createHasher(opts.checksums);
    const meter = new MeteringStream(hasher, opts.expectedSize);
    const address = newBlobAddress();
    const key = this.keyOf(address);
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: key, Body: meter, ContentType: 'application/octet-stream' },
      partSize: this.partSizeFor(opts.expectedSize),
      queueSize: this.queueSize,
      leavePartsOnError: false,
    });
    const uploading = upload.done();
    const feeding = pipeline(sourceOf(body), meter);
    try {
      await Promise.all([feeding, uploading]);
    } catch (err) {
      throw await this.cleanUpFailedPut(err, meter, feeding, uploading, key);
    }
    return { address, size: meter.bytesReceived, ...meter.result() };
  }

  /**
   * Lets the upload settle (lib-storage aborts its multipart upload itself) rather than
   * calling `upload.abort()`, which returns while a request may still land; then deletes
   * whatever single object may have landed. Returns the error that explains the failure.
   */
  private async cleanUpFailedPut(
    first: unknown,
    meter: MeteringStream,
    feeding: Promise<void>,
    uploading: Promise<unknown>,
    key: string,
  ): Promise<unknown> {
    meter.destroy(first instanceof Error ? first : new Error(String(first)));
    const bodyError = await feeding.then(() => undefined, (e: unknown) => e);
    await uploading.catch(() => undefined);
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key })).catch(() => undefined);
    // The body's own failure (or a size mismatch) explains more than the upload it broke.
    return bodyError ?? first;
  }

  async get(address: string, range?: ByteRange): Promise<Readable> {
    const key = this.keyOf(address);
    if (range && (!Number.isSafeInteger(range.start) || !Number.isSafeInteger(range.end) || range.start < 0 || range.end < range.start))
      throw new InvalidError(`invalid byte range ${range.start}-${range.end}`, 'range');
    try {
      const out = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: key, Range: range ? `bytes=${range.start}-${range.end}` : undefined }),
      );
      if (!(out.Body instanceof Readable)) throw new Error('S3 GetObject returned no Node stream');
      return out.Body;
    } catch (err) {
      throw translateS3Error(err, address);
    }
  }

  async stat(address: string): Promise<BlobStat | null> {
    const key = this.keyOf(address);
    try {
      const out = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return { size: out.ContentLength ?? 0, lastModified: out.LastModified ?? new Date(0) };
    } catch (err) {
      if (isS3NotFound(err)) return null;
      throw err;
    }
  }

  async delete(address: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.keyOf(address) }));
  }

  async *list(): AsyncIterable<BlobListing> {
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: this.prefix ? `${this.prefix}/` : undefined, ContinuationToken: token }),
      );
      for (const item of page.Contents ?? []) {
        const address = item.Key === undefined ? undefined : this.addressOf(item.Key);
        if (address) yield { address, lastModified: item.LastModified ?? new Date(0) };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  async presignPut(address: string, expiresSeconds: number): Promise<string> {
    const command = new PutObjectCommand({ Bucket: this.bucket, Key: this.keyOf(address) });
    return getSignedUrl(this.client, command, { expiresIn: checkExpiry(expiresSeconds) });
  }

  async presignGet(address: string, expiresSeconds: number, opts: PresignGetOptions = {}): Promise<string> {
    const command = new GetObjectCommand({
      Bucket: this.bucket,
      Key: this.keyOf(address),
      ResponseContentType: opts.responseContentType,
      ResponseContentDisposition: opts.responseContentDisposition,
    });
    return getSignedUrl(this.client, command, { expiresIn: checkExpiry(expiresSeconds) });
  }

  /** Aborts multipart uploads of blob keys begun before `olderThan` (a crash mid-put leaves them). */
  async deleteStaleTemporaries(olderThan: Date): Promise<number> {
    let aborted = 0;
    let keyMarker: string | undefined;
    let uploadIdMarker: string | undefined;
    do {
      const page = await this.client.send(
        new ListMultipartUploadsCommand({
          Bucket: this.bucket,
          Prefix: this.prefix ? `${this.prefix}/` : undefined,
          KeyMarker: keyMarker,
          UploadIdMarker: uploadIdMarker,
        }),
      );
      for (const upload of page.Uploads ?? []) {
        if (!upload.Key || !upload.UploadId || !this.addressOf(upload.Key)) continue;
        if (!upload.Initiated || upload.Initiated >= olderThan) continue;
        await this.client.send(new AbortMultipartUploadCommand({ Bucket: this.bucket, Key: upload.Key, UploadId: upload.UploadId }));
        aborted++;
      }
      [keyMarker, uploadIdMarker] = page.IsTruncated ? [page.NextKeyMarker, page.NextUploadIdMarker] : [undefined, undefined];
    } while (keyMarker);
    return aborted;
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}

function checkExpiry(seconds: number): number {
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_PRESIGN_SECONDS)
    throw new InvalidError(`presigned URL expiry must be 1..${MAX_PRESIGN_SECONDS} seconds`, 'expires');
  return seconds;
}
