// Upload tokens: self-authorizing handles on one catalog upload (and one part of it), so a
// client can PUT bytes to an upload URL with no Authorization header, as the REST contract's
// upload flow requires. HMAC-signed with a key derived from the catalog's token look-up key.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Services } from './services.js';

export const UPLOAD_TOKEN_TTL_SECONDS = 24 * 3600;

export interface UploadClaim {
  uploadId: string;
  /** 0 for a single-part upload. */
  partNumber: number;
  expiresAt: number;
}

function sign(services: Services, payload: string): string {
  return createHmac('sha256', services.tokenLookupKey).update(`upload-token\n${payload}`).digest('base64url');
}

export function issueUploadToken(services: Services, uploadId: string, partNumber = 0, ttlSeconds = UPLOAD_TOKEN_TTL_SECONDS): string {
  const payload = `${uploadId}.${partNumber}.${Math.floor(Date.now() / 1000) + ttlSeconds}`;
  return `${payload}.${sign(services, payload)}`;
}

/** The claim of a valid, unexpired token, or null. */
export function verifyUploadToken(services: Services, token: string): UploadClaim | null {
  const parts = token.split('.');
  if (parts.length !== 4) return null;
  const [uploadId, part, expires, signature] = parts as [string, string, string, string];
  const expected = Buffer.from(sign(services, `${uploadId}.${part}.${expires}`));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  const expiresAt = Number(expires);
  if (!Number.isInteger(expiresAt) || expiresAt * 1000 < Date.now()) return null;
  return { uploadId, partNumber: Number(part), expiresAt };
}
