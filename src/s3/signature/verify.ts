// Verifying a parsed signature against the secret: SigV4 (header or presigned) and SigV2.
// Comparisons are constant-time; a mismatch reports the canonical request and string to sign,
// as S3 does, so users can debug their signer.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { canonicalRequest, hmacHex, signingKey, stringToSign, type HeaderLookup } from './canonical.js';
import { AuthError } from './errors.js';
import { parseAmzDate, type ParsedAuth } from './parse.js';

export interface RawRequest {
  method: string;
  rawPath: string;
  rawQuery: string;
  query: URLSearchParams;
  header: HeaderLookup;
  /** Lower-case names of every header sent (SigV2 signs all x-amz-* ones). */
  headerNames: readonly string[];
}

export const MAX_SKEW_MS = 15 * 60 * 1000;

export function constantTimeEqual(a: string, b: string): boolean {
  const [x, y] = [Buffer.from(a), Buffer.from(b)];
  return x.length === y.length && timingSafeEqual(x, y);
}

export interface V4Verified {
  signingKey: Buffer;
  scope: string;
  amzDate: string;
  seedSignature: string;
}

export function verifyV4(auth: Extract<ParsedAuth, { kind: 'v4' }>, secret: string, req: RawRequest, opts: { now: number; region?: string | undefined }): V4Verified {
  if (opts.region && auth.region !== opts.region) {
    throw new AuthError('AuthorizationHeaderMalformed', `the region '${auth.region}' is wrong; expecting '${opts.region}'`, { Region: opts.region });
  }
  const signedAt = parseAmzDate(auth.amzDate);
  if (Number.isNaN(signedAt)) throw new AuthError('AccessDenied', 'X-Amz-Date must be in the ISO8601 basic format YYYYMMDDTHHMMSSZ');
  if (auth.presigned) {
    if (opts.now > signedAt + auth.expiresSeconds! * 1000) throw new AuthError('AccessDenied', 'Request has expired');
    if (signedAt - opts.now > MAX_SKEW_MS) throw new AuthError('AccessDenied', 'Request is not valid yet');
  } else if (Math.abs(opts.now - signedAt) > MAX_SKEW_MS) {
    throw new AuthError('RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.', {
      RequestTime: auth.amzDate, ServerTime: new Date(opts.now).toISOString(), MaxAllowedSkewMilliseconds: String(MAX_SKEW_MS),
    });
  }
  const payloadHash = auth.presigned
    ? (req.query.get('X-Amz-Content-Sha256') ?? 'UNSIGNED-PAYLOAD')
    : (req.header('x-amz-content-sha256') ?? 'UNSIGNED-PAYLOAD');
  const canonical = canonicalRequest({
    method: req.method, rawPath: req.rawPath, rawQuery: req.rawQuery, header: req.header, signedHeaders: auth.signedHeaders,
    payloadHash, ...(auth.presigned ? { excludeQuery: new Set(['X-Amz-Signature']) } : {}),
  });
  const scope = `${auth.date}/${auth.region}/${auth.service}/aws4_request`;
  const toSign = stringToSign(auth.amzDate, scope, canonical);
  const key = signingKey(secret, auth.date, auth.region, auth.service);
  const expected = hmacHex(key, toSign);
  if (!constantTimeEqual(expected, auth.signature.toLowerCase())) {
    throw new AuthError('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.', {
      AWSAccessKeyId: auth.accessKeyId,
      StringToSign: toSign,
      SignatureProvided: auth.signature,
      StringToSignBytes: Buffer.from(toSign).toString('hex').replace(/(..)/g, '$1 ').trim(),
      CanonicalRequest: canonical,
    });
  }
  return { signingKey: key, scope, amzDate: auth.amzDate, seedSignature: expected };
}

// Sub-resources that SigV2 signs as part of the resource.
const V2_SUBRESOURCES = new Set([
  'acl', 'delete', 'lifecycle', 'location', 'logging', 'notification', 'partNumber', 'policy', 'requestPayment',
  'tagging', 'torrent', 'uploadId', 'uploads', 'versionId', 'versioning', 'versions', 'website', 'cors', 'restore',
  'response-cache-control', 'response-content-disposition', 'response-content-encoding', 'response-content-language',
  'response-content-type', 'response-expires',
]);

export function verifyV2(auth: Extract<ParsedAuth, { kind: 'v2' }>, secret: string, req: RawRequest, opts: { now: number }): void {
  if (auth.presigned && auth.expires! * 1000 < opts.now) throw new AuthError('AccessDenied', 'Request has expired');
  const amzHeaders: string[] = [];
  for (const name of [...req.headerNames].filter((n) => n.startsWith('x-amz-')).sort()) amzHeaders.push(`${name}:${req.header(name)!.trim()}\n`);
  const subresources = [...req.query.keys()].filter((k) => V2_SUBRESOURCES.has(k)).sort()
    .map((k) => (req.query.get(k) === '' ? k : `${k}=${req.query.get(k)}`));
  const resource = req.rawPath + (subresources.length ? `?${subresources.join('&')}` : '');
  const dates = auth.presigned ? [String(auth.expires)] : [req.header('date') ?? '', ''];
  for (const date of dates) {
    const toSign = [req.method, req.header('content-md5') ?? '', req.header('content-type') ?? '', date].join('\n') + '\n' + amzHeaders.join('') + resource;
    const expected = createHmac('sha1', secret).update(toSign).digest('base64');
    if (constantTimeEqual(expected, auth.signature)) return;
  }
  throw new AuthError('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.', {
    AWSAccessKeyId: auth.accessKeyId, SignatureProvided: auth.signature,
  });
}
