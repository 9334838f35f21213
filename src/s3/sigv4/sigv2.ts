// SigV2 (the "AWS AKID:signature" header and AWSAccessKeyId/Signature/Expires query strings):
// HMAC-SHA1 over the method, Content-MD5, Content-Type, Date (or Expires), the x-amz-* headers
// and the resource with its sub-resources. boto3 still presigns URLs this way by default.
import { createHmac } from 'node:crypto';
import { constantTimeEqual } from './compare.js';
import { SigV4Error } from './errors.js';
import { signatureMismatch } from './mismatch.js';
import type { SigV2Auth } from './parse.js';
import type { ParsedRequest } from './request.js';
import { isoTime, MAX_SKEW_MS, parseHttpDate } from './time.js';
import { percentDecode } from './uri.js';

/** Query parameters SigV2 signs as part of the resource (the list botocore signs). */
export const V2_SUBRESOURCES: ReadonlySet<string> = new Set([
  'accelerate', 'acl', 'analytics', 'cors', 'defaultObjectAcl', 'delete', 'inventory', 'legal-hold', 'lifecycle',
  'location', 'logging', 'metrics', 'notification', 'object-lock', 'partNumber', 'policy', 'replication',
  'requestPayment', 'restore', 'retention', 'select', 'select-type', 'storageClass', 'tagging', 'torrent',
  'uploadId', 'uploads', 'versionId', 'versioning', 'versions', 'website',
  'response-cache-control', 'response-content-disposition', 'response-content-encoding',
  'response-content-language', 'response-content-type', 'response-expires',
]);

/**
 * A header's value, or for presigned URLs the query parameter standing for it: botocore moves
 * Content-Type, Content-MD5 and x-amz-* headers into the URL it presigns.
 */
function signedValue(req: ParsedRequest, name: string, presigned: boolean): string | undefined {
  const header = req.header(name);
  if (header !== undefined || !presigned) return header;
  return req.params.find((p) => p.name.toLowerCase() === name)?.value;
}

/** `name:value\n` for every x-amz-* header, sorted by lower-case name. */
export function v2CanonicalizedAmzHeaders(req: ParsedRequest, presigned: boolean): string {
  const names = new Set(req.headerNames.filter((n) => n.startsWith('x-amz-')));
  if (presigned) for (const p of req.params) if (p.name.toLowerCase().startsWith('x-amz-')) names.add(p.name.toLowerCase());
  return [...names].sort().map((name) => `${name}:${(signedValue(req, name, presigned) ?? '').trim()}\n`).join('');
}

/** The path as sent, prefixed by the bucket for virtual-hosted requests. */
export function v2ResourcePath(req: ParsedRequest, virtualHostBucket?: string): string {
  return (virtualHostBucket ? `/${virtualHostBucket}` : '') + req.rawPath;
}

/**
 * A bucket's own resource is `/bucket/` to botocore even when it requests `/bucket`; other
 * signers use the path as sent. Both are accepted.
 */
function resourcePathCandidates(path: string): string[] {
  return /^\/[^/]+$/.test(path) ? [path, `${path}/`] : [path];
}

/** The resource path and its sub-resources, sorted by name, values decoded. */
export function v2CanonicalizedResource(req: ParsedRequest, path: string): string {
  const subresources = req.params
    .filter((p) => V2_SUBRESOURCES.has(p.rawName))
    .sort((a, b) => (a.rawName < b.rawName ? -1 : a.rawName > b.rawName ? 1 : 0))
    .map((p) => (p.hasEquals ? `${p.rawName}=${percentDecode(p.rawValue, false).toString('utf8')}` : p.rawName));
  return subresources.length > 0 ? `${path}?${subresources.join('&')}` : path;
}

export function v2StringToSign(auth: SigV2Auth, resourcePath = v2ResourcePath(auth.request)): string {
  const req = auth.request;
  // With x-amz-date present S3 ignores Date: it is signed among the x-amz-* headers instead.
  const date = auth.presigned ? String(auth.expires) : req.header('x-amz-date') !== undefined ? '' : req.header('date') ?? '';
  return [
    req.method,
    signedValue(req, 'content-md5', auth.presigned) ?? '',
    signedValue(req, 'content-type', auth.presigned) ?? '',
    date,
    v2CanonicalizedAmzHeaders(req, auth.presigned) + v2CanonicalizedResource(req, resourcePath),
  ].join('\n');
}

export const v2Signature = (secret: string, toSign: string): string => createHmac('sha1', secret).update(toSign, 'utf8').digest('base64');

export function checkV2Time(auth: SigV2Auth, now: number): void {
  if (auth.presigned) {
    if (now > auth.expires! * 1000) {
      throw new SigV4Error('AccessDenied', 'Request has expired', { Expires: isoTime(auth.expires! * 1000), ServerTime: isoTime(now) });
    }
    return;
  }
  const sent = auth.request.header('x-amz-date') ?? auth.request.header('date');
  const signedAt = sent === undefined ? NaN : parseHttpDate(sent);
  if (Number.isNaN(signedAt)) throw new SigV4Error('AccessDenied', 'AWS authentication requires a valid Date or x-amz-date header');
  if (Math.abs(now - signedAt) > MAX_SKEW_MS) {
    throw new SigV4Error('RequestTimeTooSkewed', "The difference between the request time and the server's time is too large.", {
      RequestTime: sent!, ServerTime: isoTime(now), MaxAllowedSkewMilliseconds: String(MAX_SKEW_MS),
    });
  }
}

export function verifyV2(auth: SigV2Auth, secret: string, opts: { now: number; virtualHostBucket?: string | undefined }): void {
  checkV2Time(auth, opts.now);
  const candidates = resourcePathCandidates(v2ResourcePath(auth.request, opts.virtualHostBucket)).map((path) => v2StringToSign(auth, path));
  // Every candidate is compared, so the time taken does not depend on which one matched.
  const matches = candidates.map((toSign) => constantTimeEqual(v2Signature(secret, toSign), auth.signature));
  if (!matches.includes(true)) {
    throw signatureMismatch({ accessKeyId: auth.accessKeyId, stringToSign: candidates[0]!, signatureProvided: auth.signature });
  }
}
