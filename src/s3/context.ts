// What an S3 operation is handed, and what it returns. Handlers return an S3Response or
// throw; plugin.ts is the one place that writes responses and errors.
import type { Readable } from 'node:stream';
import type { Caller } from '../core/caller.js';
import type { Services } from '../core/services.js';
import type { HeaderBag, QueryBag } from './protocol/headers.js';

export interface S3Context {
  services: Services;
  method: string;
  /** The bucket as sent (may carry `.<commit>`), or null for the service root. */
  bucket: string | null;
  /** The object key, decoded, or null when the URL names only a bucket. */
  key: string | null;
  query: QueryBag;
  headers: HeaderBag;
  /** The request body after signature and aws-chunked decoding. */
  body: Readable;
  /** The object's size when the client announced it (Content-Length or x-amz-decoded-content-length). */
  contentLength: number | undefined;
  /** The hex SHA-256 the signature says the body has, when the operation checks it (PutObject, UploadPart). */
  payloadSha256: string | undefined;
  /** Trailing headers of an aws-chunked body (checksums), available once the body was read. */
  trailers: () => Promise<Record<string, string>>;
  /** Null for anonymous requests. */
  caller: Caller | null;
  requestId: string;
  /** Pins the region of the S3 surface (GetBucketLocation). */
  region: string;
}

export interface S3Response {
  status?: number;
  headers?: Record<string, string | number>;
  /** An XML document (already built, as text or bytes) or a stream. */
  body?: string | Buffer | Readable;
}

export type S3Handler = (ctx: S3Context) => Promise<S3Response>;
