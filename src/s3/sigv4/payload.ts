// The payload a SigV4 request signs, named by its x-amz-content-sha256 value, and the check of
// a declared body hash, made while the body streams through.
import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { SigV4Error } from './errors.js';

export type PayloadMode =
  | { kind: 'sha256'; sha256: string }
  | { kind: 'unsigned' }
  /** aws-chunked: `signed` chunks carry chunk signatures; `trailer` bodies end with trailer headers. */
  | { kind: 'streaming'; signed: boolean; trailer: boolean };

const STREAMING: Record<string, PayloadMode> = {
  'STREAMING-AWS4-HMAC-SHA256-PAYLOAD': { kind: 'streaming', signed: true, trailer: false },
  'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER': { kind: 'streaming', signed: true, trailer: true },
  'STREAMING-UNSIGNED-PAYLOAD-TRAILER': { kind: 'streaming', signed: false, trailer: true },
};

/** Classifies an x-amz-content-sha256 value; anything else is S3's InvalidArgument. */
export function classifyPayloadHash(value: string): PayloadMode {
  if (value === 'UNSIGNED-PAYLOAD') return { kind: 'unsigned' };
  if (/^[0-9a-fA-F]{64}$/.test(value)) return { kind: 'sha256', sha256: value.toLowerCase() };
  const streaming = STREAMING[value];
  if (streaming) return { ...streaming };
  throw new SigV4Error('InvalidArgument', 'x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER or a valid sha256 value.', {
    ArgumentName: 'x-amz-content-sha256', ArgumentValue: value,
  });
}

/**
 * Passes the body through and fails with XAmzContentSHA256Mismatch at its end unless it hashes
 * to `expectedSha256`. Bytes flow on before the verdict: consumers must discard the body on error.
 */
export class PayloadHashCheck extends Transform {
  private readonly hash = createHash('sha256');

  constructor(private readonly expectedSha256: string) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.hash.update(chunk);
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    const computed = this.hash.digest('hex');
    if (computed === this.expectedSha256.toLowerCase()) return done();
    done(new SigV4Error('XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.", {
      ClientComputedContentSHA256: this.expectedSha256, S3ComputedContentSHA256: computed,
    }));
  }
}

export function createPayloadHashCheck(expectedSha256: string): PayloadHashCheck {
  return new PayloadHashCheck(expectedSha256);
}
