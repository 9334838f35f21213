// The pass-through every put streams its body through: it hashes each chunk, counts bytes and
// fails as soon as the body outgrows the expected size, so a too-long upload stops early.
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { BlobSizeMismatchError, type BlobBody } from './blob-store.js';
import type { Digests, Hasher } from './checksums.js';

export class MeteringStream extends Transform {
  private received = 0;
  private digests: Digests | undefined;

  constructor(
    private readonly hasher: Hasher,
    private readonly expectedSize: number | undefined,
  ) {
    super();
  }

  /** Not named `size`: lib-storage would read that as the body's total length. */
  get bytesReceived(): number {
    return this.received;
  }

  /** The digests of everything that passed; only once the stream has ended. */
  result(): Digests {
    if (!this.digests) throw new Error('metering stream has not ended');
    return this.digests;
  }

  override _transform(chunk: unknown, encoding: BufferEncoding, callback: TransformCallback): void {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, encoding) : (chunk as Uint8Array);
    this.received += bytes.byteLength;
    if (this.expectedSize !== undefined && this.received > this.expectedSize) {
      callback(new BlobSizeMismatchError(this.expectedSize, this.received));
      return;
    }
    // A hasher on a worker may ask us to wait: that is the backpressure of the whole put.
    const waiting = this.hasher.update(bytes);
    if (waiting) waiting.then(() => callback(null, bytes), callback);
    else callback(null, bytes);
  }

  override _flush(callback: TransformCallback): void {
    if (this.expectedSize !== undefined && this.received !== this.expectedSize) {
      callback(new BlobSizeMismatchError(this.expectedSize, this.received));
      return;
    }
    Promise.resolve(this.hasher.digest()).then((digests) => {
      this.digests = digests;
      callback();
    }, callback);
  }

  override _destroy(err: Error | null, callback: (error?: Error | null) => void): void {
    if (!this.digests) this.hasher.abort?.();
    callback(err);
  }
}

/**
 * The body as a pipeline source that a failing put does not destroy: the caller owns its
 * stream (an HTTP request can still be answered, and node drains what is left unread).
 */
export function sourceOf(body: BlobBody): AsyncIterable<unknown> | NodeJS.ReadableStream {
  if (!(body instanceof Readable)) return body;
  return { [Symbol.asyncIterator]: () => body.iterator({ destroyOnReturn: false }) };
}
