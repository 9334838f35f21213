// What the body of a verified request must go through before anyone stores it: nothing
// (UNSIGNED-PAYLOAD), a hash check (hex x-amz-content-sha256), or the aws-chunked decoder.
import type { Transform } from 'node:stream';
import { createAwsChunkedDecoder } from './chunked.js';
import { SigV4Error } from './errors.js';
import { classifyPayloadHash, createPayloadHashCheck, type PayloadMode } from './payload.js';
import type { SignedRequest } from './request.js';
import type { VerifiedAuth } from './verify.js';

export interface BodyDecoding {
  /** Pipe the raw body through this; null when it is read as is. */
  transform: Transform | null;
  /** The object's size when known up front: x-amz-decoded-content-length for aws-chunked, else Content-Length. */
  contentLength: number | undefined;
  /** The trailer headers once the body has been read (`{}` unless aws-chunked with trailers). */
  trailers: () => Promise<Record<string, string>>;
  /**
   * With `deferPayloadHash`: the hex SHA-256 the body must have, left for its consumer to check
   * (it hashes the body anyway); no hash-check transform is applied then.
   */
  payloadSha256?: string;
}

const noTrailers = async (): Promise<Record<string, string>> => ({});

function lengthHeader(req: SignedRequest, name: string): number | undefined {
  const value = req.headers[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^\d{1,15}$/.test(value)) {
    throw new SigV4Error('InvalidArgument', `${name} must be a non-negative integer`, { ArgumentName: name, ArgumentValue: String(value) });
  }
  return Number(value);
}

/** The payload mode of an anonymous request: whatever its x-amz-content-sha256 says, unsigned by default. */
function anonymousPayload(req: SignedRequest): PayloadMode {
  const declared = req.headers['x-amz-content-sha256'];
  return typeof declared === 'string' ? classifyPayloadHash(declared) : { kind: 'unsigned' };
}

/**
 * How to read the body of `req`, authenticated as `verified` (null: anonymous).
 * `deferPayloadHash`: the consumer checks a declared hex SHA-256 itself (see payloadSha256).
 */
export function decodeBody(req: SignedRequest, verified: VerifiedAuth | null, opts: { deferPayloadHash?: boolean } = {}): BodyDecoding {
  const payload = verified?.payload ?? anonymousPayload(req);
  if (payload.kind === 'unsigned') return { transform: null, contentLength: lengthHeader(req, 'content-length'), trailers: noTrailers };
  if (payload.kind === 'sha256') {
    const contentLength = lengthHeader(req, 'content-length');
    if (opts.deferPayloadHash) return { transform: null, contentLength, trailers: noTrailers, payloadSha256: payload.sha256 };
    return { transform: createPayloadHashCheck(payload.sha256), contentLength, trailers: noTrailers };
  }
  const signed = payload.signed ? verified?.chunkSigning : undefined;
  if (payload.signed && !signed) throw new SigV4Error('InvalidRequest', 'Signed aws-chunked payloads need SigV4 header authentication');
  const expectedDecodedLength = lengthHeader(req, 'x-amz-decoded-content-length');
  const decoder = createAwsChunkedDecoder({
    trailer: payload.trailer,
    ...(signed ? { signed } : {}),
    ...(expectedDecodedLength !== undefined ? { expectedDecodedLength } : {}),
  });
  return { transform: decoder, contentLength: expectedDecodedLength, trailers: () => decoder.trailers() };
}

/** The Content-Encoding to store: the client's, without the aws-chunked transport coding. */
export function storedContentEncoding(contentEncoding: string | undefined): string | undefined {
  if (contentEncoding === undefined) return undefined;
  const rest = contentEncoding.split(',').map((c) => c.trim()).filter((c) => c !== '' && c.toLowerCase() !== 'aws-chunked');
  return rest.length > 0 ? rest.join(',') : undefined;
}
