// The SignatureDoesNotMatch error S3 sends, with what it signed so users can debug their signer.
import { SigV4Error } from './errors.js';

/** S3 writes byte dumps as two-digit hex separated by spaces. */
export const hexBytes = (text: string): string => Array.from(Buffer.from(text, 'utf8'), (b) => b.toString(16).padStart(2, '0')).join(' ');

export function signatureMismatch(details: { accessKeyId: string; stringToSign: string; signatureProvided: string; canonicalRequest?: string }): SigV4Error {
  return new SigV4Error('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.', {
    AWSAccessKeyId: details.accessKeyId,
    StringToSign: details.stringToSign,
    SignatureProvided: details.signatureProvided,
    StringToSignBytes: hexBytes(details.stringToSign),
    ...(details.canonicalRequest !== undefined
      ? { CanonicalRequest: details.canonicalRequest, CanonicalRequestBytes: hexBytes(details.canonicalRequest) }
      : {}),
  });
}
