// SigV4 and SigV2 verification on node:crypto: parse (no secret needed) → verify → decode the
// body (payload hash check, aws-chunked with chunk signatures and trailers). Pure: no HTTP.
export { parseAuth, type ParsedAuth } from './parse.js';
export { verifyV2, verifyV4, type RawRequest, type V4Verified } from './verify.js';
export { AwsChunkedDecoder, PayloadHashCheck } from './chunked.js';
export { AuthError } from './errors.js';
export { canonicalRequest, canonicalUri, canonicalQuery, signingKey, uriEncode } from './canonical.js';
