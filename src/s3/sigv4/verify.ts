// Verifying a parsed signature against the secret. SigV4: scope (service, region), time (skew
// for header auth, expiry for presigned URLs), then the signature over the canonical request.
// A verified request names its payload mode and, for SigV4, what chunk signatures chain from.
import { canonicalRequest, signatureOf, signingKey, stringToSign } from './canonical.js';
import { constantTimeEqual } from './compare.js';
import { SigV4Error } from './errors.js';
import { signatureMismatch } from './mismatch.js';
import type { AuthRequest, SigV2Auth, SigV4Auth } from './parse.js';
import { classifyPayloadHash, type PayloadMode } from './payload.js';
import { queryValue } from './request.js';
import { verifyV2 } from './sigv2.js';
import { isoTime, MAX_SKEW_MS, parseAmzDate } from './time.js';

export interface VerifyOptions {
  /** The server's clock, epoch ms or a Date; defaults to now. */
  now?: number | Date;
  /** Overrides the signed payload hash the request declares (x-amz-content-sha256, or UNSIGNED-PAYLOAD when presigned). */
  payloadHash?: string;
  /** Pins the region credentials must be scoped to. */
  allowedRegion?: string;
  /** The service credentials must be scoped to; `s3` unless told. */
  service?: string;
  /** SigV2 signs `/bucket/key` even when the bucket was in the Host name. */
  virtualHostBucket?: string;
}

/** What aws-chunked chunk signatures are checked against. */
export interface ChunkSigning {
  seedSignature: string;
  signingKey: Buffer;
  amzDate: string;
  scope: string;
}

export interface VerifiedAuth {
  version: 'v4' | 'v2';
  accessKeyId: string;
  presigned: boolean;
  sessionToken?: string;
  payload: PayloadMode;
  /** SigV4 only: the request's signature seeds the chain of chunk signatures. */
  chunkSigning?: ChunkSigning;
}

/** Throws a SigV4Error unless `auth` was signed with `secret` (and is in time, scope and region). */
export function verifyRequest(auth: AuthRequest, secret: string, opts: VerifyOptions = {}): VerifiedAuth {
  const now = opts.now === undefined ? Date.now() : typeof opts.now === 'number' ? opts.now : opts.now.getTime();
  return auth.version === 'v4' ? verifyV4(auth, secret, { ...opts, now }) : verifySigV2(auth, secret, { ...opts, now });
}

function verifySigV2(auth: SigV2Auth, secret: string, opts: VerifyOptions & { now: number }): VerifiedAuth {
  const declared = opts.payloadHash ?? auth.request.header('x-amz-content-sha256');
  const payload = declared === undefined ? { kind: 'unsigned' as const } : classifyPayloadHash(declared);
  if (payload.kind === 'streaming' && payload.signed) throw new SigV4Error('InvalidRequest', 'Signed aws-chunked payloads need SigV4');
  verifyV2(auth, secret, opts);
  return {
    version: 'v2', accessKeyId: auth.accessKeyId, presigned: auth.presigned, payload,
    ...(auth.sessionToken !== undefined ? { sessionToken: auth.sessionToken } : {}),
  };
}

function verifyV4(auth: SigV4Auth, secret: string, opts: VerifyOptions & { now: number }): VerifiedAuth {
  checkScope(auth, opts.service ?? 's3', opts.allowedRegion);
  checkV4Time(auth, opts.now);
  const payloadHash = opts.payloadHash ?? declaredPayloadHash(auth);
  const payload = classifyPayloadHash(payloadHash);
  const { request: req, credential } = auth;
  const canonical = canonicalRequest({
    method: req.method, rawPath: req.rawPath, params: req.params, header: req.header,
    signedHeaders: auth.signedHeaders, payloadHash, presigned: auth.presigned,
  });
  const toSign = stringToSign(auth.amzDate, credential.scope, canonical);
  const key = signingKey(secret, credential.date, credential.region, credential.service);
  const expected = signatureOf(key, toSign);
  if (!constantTimeEqual(expected, auth.signature)) {
    throw signatureMismatch({ accessKeyId: auth.accessKeyId, stringToSign: toSign, signatureProvided: auth.signature, canonicalRequest: canonical });
  }
  return {
    version: 'v4', accessKeyId: auth.accessKeyId, presigned: auth.presigned, payload,
    ...(auth.sessionToken !== undefined ? { sessionToken: auth.sessionToken } : {}),
    chunkSigning: { seedSignature: expected, signingKey: key, amzDate: auth.amzDate, scope: credential.scope },
  };
}

function declaredPayloadHash(auth: SigV4Auth): string {
  if (auth.presigned) return queryValue(auth.request, 'X-Amz-Content-Sha256') ?? queryValue(auth.request, 'x-amz-content-sha256') ?? 'UNSIGNED-PAYLOAD';
  const header = auth.request.header('x-amz-content-sha256');
  if (header === undefined) throw new SigV4Error('InvalidRequest', 'Missing required header for this request: x-amz-content-sha256');
  return header;
}

function checkScope(auth: SigV4Auth, service: string, allowedRegion: string | undefined): void {
  const [code, prefix] = auth.presigned
    ? ['AuthorizationQueryParametersError' as const, 'Error parsing the X-Amz-Credential parameter; ']
    : ['AuthorizationHeaderMalformed' as const, 'The authorization header is malformed; '];
  const { region, service: scoped } = auth.credential;
  if (scoped !== service) throw new SigV4Error(code, `${prefix}incorrect service "${scoped}". This endpoint belongs to "${service}".`);
  if (allowedRegion !== undefined && region !== allowedRegion) {
    throw new SigV4Error(code, `${prefix}the region '${region}' is wrong; expecting '${allowedRegion}'`, { Region: allowedRegion });
  }
}

function checkV4Time(auth: SigV4Auth, now: number): void {
  const signedAt = parseAmzDate(auth.amzDate);
  if (auth.presigned) {
    const expiresAt = signedAt + auth.expiresSeconds! * 1000;
    if (now > expiresAt) {
      throw new SigV4Error('AccessDenied', 'Request has expired', {
        'X-Amz-Expires': String(auth.expiresSeconds), Expires: isoTime(expiresAt), ServerTime: isoTime(now),
      });
    }
    if (signedAt - now > MAX_SKEW_MS) throw new SigV4Error('AccessDenied', 'Request is not valid yet');
    return;
  }
  if (Math.abs(now - signedAt) > MAX_SKEW_MS) {
    throw new SigV4Error('RequestTimeTooSkewed', "The difference between the request time and the server's time is too large.", {
      RequestTime: auth.request.header('x-amz-date') ?? auth.request.header('date') ?? auth.amzDate,
      ServerTime: isoTime(now), MaxAllowedSkewMilliseconds: String(MAX_SKEW_MS),
    });
  }
}
