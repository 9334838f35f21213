// The facade the HTTP layer uses: authenticate (parse, look up the secret, verify), then
// decodeBody for what the body must go through. Everything else is exported for tests and tools.
import { SigV4Error } from './errors.js';
import { parseAuth, type AuthRequest } from './parse.js';
import type { SignedRequest } from './request.js';
import { verifyRequest, type VerifiedAuth, type VerifyOptions } from './verify.js';

export type SecretLookup = (accessKeyId: string) => string | null | undefined | Promise<string | null | undefined>;

export interface Authenticated {
  auth: AuthRequest;
  verified: VerifiedAuth;
}

/**
 * Who signed `req`: null when anonymous; a SigV4Error when malformed, for an unknown key
 * (InvalidAccessKeyId), out of time or scope, or a signature that does not match.
 */
export async function authenticate(req: SignedRequest, lookupSecret: SecretLookup, opts: VerifyOptions = {}): Promise<Authenticated | null> {
  const auth = parseAuth(req);
  if (!auth) return null;
  const secret = await lookupSecret(auth.accessKeyId);
  if (secret === null || secret === undefined) {
    throw new SigV4Error('InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', { AWSAccessKeyId: auth.accessKeyId });
  }
  return { auth, verified: verifyRequest(auth, secret, opts) };
}

export { decodeBody, storedContentEncoding, type BodyDecoding } from './body.js';
export { AwsChunkedDecoder, createAwsChunkedDecoder, DEFAULT_MAX_SIGNED_CHUNK, type AwsChunkedOptions } from './chunked.js';
export { SigV4Error, type SigV4ErrorCode } from './errors.js';
export { parseAuth, type AuthRequest, type CredentialScope, type SigV2Auth, type SigV4Auth } from './parse.js';
export { classifyPayloadHash, createPayloadHashCheck, PayloadHashCheck, type PayloadMode } from './payload.js';
export type { ParsedRequest, QueryParam, SignedRequest } from './request.js';
export { verifyRequest, type ChunkSigning, type VerifiedAuth, type VerifyOptions } from './verify.js';
export {
  canonicalHeaders, canonicalQuery, canonicalRequest, canonicalUri, chunkStringToSign, credentialScope, signingKey,
  stringToSign, trailerStringToSign,
} from './canonical.js';
export { v2StringToSign } from './sigv2.js';
