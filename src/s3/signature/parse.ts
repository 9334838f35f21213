// Recognising how a request is signed, without the secret: SigV4 in the Authorization header
// or the query (presigned), SigV2 likewise, or nothing (anonymous).
import { AuthError } from './errors.js';
import type { HeaderLookup } from './canonical.js';

export type ParsedAuth =
  | { kind: 'v4'; presigned: boolean; accessKeyId: string; date: string; region: string; service: string;
      signedHeaders: string[]; signature: string; amzDate: string; expiresSeconds?: number }
  | { kind: 'v2'; presigned: boolean; accessKeyId: string; signature: string; expires?: number };

const MAX_PRESIGNED_SECONDS = 7 * 24 * 3600;

export function parseAuth(header: HeaderLookup, query: URLSearchParams): ParsedAuth | null {
  const authorization = header('authorization');
  if (authorization?.startsWith('AWS4-HMAC-SHA256')) return parseV4Header(authorization, header);
  if (authorization?.startsWith('AWS ')) return parseV2Header(authorization);
  if (query.get('X-Amz-Algorithm') !== null) return parseV4Query(query);
  if (query.get('AWSAccessKeyId') !== null) return parseV2Query(query);
  if (authorization) throw new AuthError('AuthorizationHeaderMalformed', 'Unsupported Authorization header');
  return null;
}

function parseCredential(credential: string, code: 'AuthorizationHeaderMalformed' | 'AuthorizationQueryParametersError') {
  const parts = credential.split('/');
  if (parts.length !== 5 || parts[4] !== 'aws4_request' || !/^\d{8}$/.test(parts[1]!)) {
    throw new AuthError(code, `The credential is malformed: ${credential}`);
  }
  const [accessKeyId, date, region, service] = parts as [string, string, string, string];
  return { accessKeyId, date, region, service };
}

function parseV4Header(authorization: string, header: HeaderLookup): ParsedAuth {
  const fields = new Map<string, string>();
  for (const part of authorization.slice('AWS4-HMAC-SHA256'.length).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const credential = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (!credential || !signedHeaders || !signature) {
    throw new AuthError('AuthorizationHeaderMalformed', 'The authorization header is malformed; it must contain Credential, SignedHeaders and Signature');
  }
  const amzDate = header('x-amz-date') ?? toAmzDate(header('date'));
  if (!amzDate) throw new AuthError('AccessDenied', 'AWS authentication requires a valid Date or x-amz-date header');
  return { kind: 'v4', presigned: false, ...parseCredential(credential, 'AuthorizationHeaderMalformed'), signedHeaders: signedHeaders.split(';'), signature, amzDate };
}

function parseV4Query(query: URLSearchParams): ParsedAuth {
  const get = (name: string) => query.get(name) ?? undefined;
  if (get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256') throw new AuthError('AuthorizationQueryParametersError', 'X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"');
  const [credential, amzDate, expires, signedHeaders, signature] = ['X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Expires', 'X-Amz-SignedHeaders', 'X-Amz-Signature'].map(get);
  if (!credential || !amzDate || !signedHeaders || !signature || !expires) {
    throw new AuthError('AuthorizationQueryParametersError', 'Query-string authentication requires the X-Amz-Credential, X-Amz-Date, X-Amz-Expires, X-Amz-SignedHeaders and X-Amz-Signature parameters');
  }
  const expiresSeconds = Number(expires);
  if (!Number.isInteger(expiresSeconds) || expiresSeconds < 1 || expiresSeconds > MAX_PRESIGNED_SECONDS) {
    throw new AuthError('AuthorizationQueryParametersError', 'X-Amz-Expires must be between 1 and 604800 seconds');
  }
  return { kind: 'v4', presigned: true, ...parseCredential(credential, 'AuthorizationQueryParametersError'), signedHeaders: signedHeaders.split(';'), signature, amzDate, expiresSeconds };
}

function parseV2Header(authorization: string): ParsedAuth {
  const rest = authorization.slice(4);
  const colon = rest.lastIndexOf(':');
  if (colon <= 0) throw new AuthError('AuthorizationHeaderMalformed', 'The authorization header is malformed');
  return { kind: 'v2', presigned: false, accessKeyId: rest.slice(0, colon).trim(), signature: rest.slice(colon + 1).trim() };
}

function parseV2Query(query: URLSearchParams): ParsedAuth {
  const accessKeyId = query.get('AWSAccessKeyId') ?? '';
  const signature = query.get('Signature');
  const expires = Number(query.get('Expires'));
  if (!signature || !Number.isInteger(expires)) throw new AuthError('AccessDenied', 'Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters');
  return { kind: 'v2', presigned: true, accessKeyId, signature, expires };
}

/** An HTTP Date header as SigV4's YYYYMMDDTHHMMSSZ, or undefined. */
function toAmzDate(httpDate: string | undefined): string | undefined {
  if (!httpDate) return undefined;
  const time = Date.parse(httpDate);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** YYYYMMDDTHHMMSSZ → epoch milliseconds, or NaN. */
export function parseAmzDate(amzDate: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  return m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : NaN;
}
