// Recognising how a request is signed, without the secret (parse, then verify): SigV4 in the
// Authorization header or the query (presigned), SigV2 likewise, or nothing (anonymous).
// The result names the access key, so the caller can look up its secret.
import { ALGORITHM } from './canonical.js';
import { SigV4Error, type SigV4ErrorCode } from './errors.js';
import { parseRequest, queryValue, type ParsedRequest, type SignedRequest } from './request.js';
import { MAX_PRESIGNED_SECONDS, parseAmzDate, parseHttpDate, toAmzDate } from './time.js';

export interface CredentialScope {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  /** `date/region/service/aws4_request` */
  scope: string;
}

export interface SigV4Auth {
  version: 'v4';
  presigned: boolean;
  accessKeyId: string;
  credential: CredentialScope;
  signedHeaders: string[];
  signature: string;
  /** The signing time as SigV4 writes it, YYYYMMDDTHHMMSSZ. */
  amzDate: string;
  /** Presigned only: X-Amz-Expires. */
  expiresSeconds?: number;
  sessionToken?: string;
  request: ParsedRequest;
}

export interface SigV2Auth {
  version: 'v2';
  presigned: boolean;
  accessKeyId: string;
  signature: string;
  /** Presigned only: the Expires parameter, epoch seconds. */
  expires?: number;
  sessionToken?: string;
  request: ParsedRequest;
}

export type AuthRequest = SigV4Auth | SigV2Auth;

type ParseCode = Extract<SigV4ErrorCode, 'AuthorizationHeaderMalformed' | 'AuthorizationQueryParametersError'>;

/** How `req` is signed, or null for an anonymous request. Throws SigV4Error when malformed. */
export function parseAuth(signed: SignedRequest): AuthRequest | null {
  const req = parseRequest(signed);
  const authorization = req.header('authorization');
  const v4Query = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature'].some((n) => queryValue(req, n) !== undefined);
  const v2Query = queryValue(req, 'AWSAccessKeyId') !== undefined || queryValue(req, 'Signature') !== undefined;
  if (authorization !== undefined && authorization !== '') {
    if (v4Query || v2Query) throw invalidAuthorization(authorization, 'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified');
    if (/^AWS4-HMAC-SHA256\s/.test(authorization)) return parseV4Header(req, authorization);
    if (authorization.startsWith('AWS ')) return parseV2Header(req, authorization);
    throw invalidAuthorization(authorization, 'Unsupported Authorization Type');
  }
  if (v4Query) return parseV4Query(req);
  if (v2Query) return parseV2Query(req);
  return null;
}

function invalidAuthorization(value: string, message: string): SigV4Error {
  return new SigV4Error('InvalidArgument', message, { ArgumentName: 'Authorization', ArgumentValue: value });
}

/** `AKID/YYYYMMDD/region/service/aws4_request`; the key id is whatever precedes the last four parts. */
function parseCredential(credential: string, code: ParseCode, prefix: string): CredentialScope {
  const parts = credential.split('/');
  const [date, region, service, terminator] = parts.slice(-4);
  const accessKeyId = parts.slice(0, -4).join('/');
  if (parts.length < 5 || !accessKeyId || !/^\d{8}$/.test(date ?? '') || !region || !service || terminator !== 'aws4_request') {
    throw new SigV4Error(code, `${prefix}the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".`);
  }
  return { accessKeyId, date: date!, region, service, scope: `${date}/${region}/${service}/aws4_request` };
}

function parseSignedHeaders(list: string): string[] {
  return list.split(';').map((name) => name.trim().toLowerCase());
}

function checkSignedHeaders(signedHeaders: string[], code: ParseCode, prefix: string): void {
  if (signedHeaders.some((name) => name === '')) throw new SigV4Error(code, `${prefix}the SignedHeaders list is malformed.`);
  if (!signedHeaders.includes('host')) throw new SigV4Error('AccessDenied', 'There were headers present in the request which were not signed', { HeadersNotSigned: 'host' });
}

function checkCredentialDate(credential: CredentialScope, amzDate: string, code: ParseCode, prefix: string): void {
  if (amzDate.slice(0, 8) !== credential.date) throw new SigV4Error(code, `${prefix}Invalid credential date. Date is not the same as X-Amz-Date.`);
}

function parseV4Header(req: ParsedRequest, authorization: string): SigV4Auth {
  const code = 'AuthorizationHeaderMalformed';
  const prefix = 'The authorization header is malformed; ';
  // Clients vary in the spaces around commas and equals signs; no component may contain one.
  const fields = new Map<string, string>();
  for (const component of authorization.slice(ALGORITHM.length).replace(/\s+/g, '').split(',')) {
    if (component === '') continue;
    const eq = component.indexOf('=');
    const name = component.slice(0, eq);
    if (eq <= 0 || fields.has(name) || !['Credential', 'SignedHeaders', 'Signature'].includes(name)) {
      throw new SigV4Error(code, `${prefix}the authorization component "${component}" is malformed.`);
    }
    fields.set(name, component.slice(eq + 1));
  }
  const [credentialText, signedHeadersText, signature] = ['Credential', 'SignedHeaders', 'Signature'].map((n) => fields.get(n));
  if (!credentialText || !signedHeadersText || !signature) {
    throw new SigV4Error(code, `${prefix}the authorization header requires three components: Credential, SignedHeaders, and Signature.`);
  }
  const credential = parseCredential(credentialText, code, prefix);
  const signedHeaders = parseSignedHeaders(signedHeadersText);
  checkSignedHeaders(signedHeaders, code, prefix);
  const amzDate = headerAmzDate(req);
  checkCredentialDate(credential, amzDate, code, prefix);
  const sessionToken = req.header('x-amz-security-token');
  return {
    version: 'v4', presigned: false, accessKeyId: credential.accessKeyId, credential, signedHeaders, signature, amzDate,
    ...(sessionToken !== undefined ? { sessionToken } : {}), request: req,
  };
}

/** x-amz-date, or else the Date header, as YYYYMMDDTHHMMSSZ. */
function headerAmzDate(req: ParsedRequest): string {
  const amzDate = req.header('x-amz-date');
  const date = req.header('date');
  const ms = amzDate !== undefined ? parseAmzDate(amzDate) : date !== undefined ? parseHttpDate(date) : NaN;
  if (Number.isNaN(ms)) throw new SigV4Error('AccessDenied', 'AWS authentication requires a valid Date or x-amz-date header');
  return toAmzDate(ms);
}

function parseV4Query(req: ParsedRequest): SigV4Auth {
  const code = 'AuthorizationQueryParametersError';
  const get = (name: string) => queryValue(req, name);
  if (get('X-Amz-Algorithm') !== ALGORITHM) throw new SigV4Error(code, 'X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"');
  const [credentialText, amzDate, expires, signedHeadersText, signature] =
    ['X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Expires', 'X-Amz-SignedHeaders', 'X-Amz-Signature'].map(get);
  if (!credentialText || !amzDate || !expires || !signedHeadersText || !signature) {
    throw new SigV4Error(code, 'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.');
  }
  const credential = parseCredential(credentialText, code, 'Error parsing the X-Amz-Credential parameter; ');
  if (Number.isNaN(parseAmzDate(amzDate))) throw new SigV4Error(code, `X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd'T'HHmmss'Z'"`);
  checkCredentialDate(credential, amzDate, code, '');
  const expiresSeconds = expiresParameter(expires);
  const signedHeaders = parseSignedHeaders(signedHeadersText);
  checkSignedHeaders(signedHeaders, code, 'Error parsing the X-Amz-SignedHeaders parameter; ');
  const sessionToken = get('X-Amz-Security-Token');
  return {
    version: 'v4', presigned: true, accessKeyId: credential.accessKeyId, credential, signedHeaders, signature, amzDate, expiresSeconds,
    ...(sessionToken !== undefined ? { sessionToken } : {}), request: req,
  };
}

function expiresParameter(expires: string): number {
  const code = 'AuthorizationQueryParametersError';
  if (!/^-?\d+$/.test(expires)) throw new SigV4Error(code, 'X-Amz-Expires should be a number');
  const seconds = Number(expires);
  if (seconds < 0) throw new SigV4Error(code, 'X-Amz-Expires must be non-negative');
  if (seconds > MAX_PRESIGNED_SECONDS) throw new SigV4Error(code, `X-Amz-Expires must be less than a week (in seconds) that is ${MAX_PRESIGNED_SECONDS}`);
  return seconds;
}

function parseV2Header(req: ParsedRequest, authorization: string): SigV2Auth {
  const credentials = authorization.slice('AWS '.length).trim();
  const colon = credentials.lastIndexOf(':');
  const accessKeyId = credentials.slice(0, colon).trim();
  const signature = credentials.slice(colon + 1).trim();
  if (colon <= 0 || !accessKeyId || !signature) {
    throw invalidAuthorization(authorization, 'AWS authorization header is invalid.  Expected AwsAccessKeyId:signature');
  }
  const sessionToken = req.header('x-amz-security-token');
  return { version: 'v2', presigned: false, accessKeyId, signature, ...(sessionToken !== undefined ? { sessionToken } : {}), request: req };
}

function parseV2Query(req: ParsedRequest): SigV2Auth {
  const [accessKeyId, signature, expires] = ['AWSAccessKeyId', 'Signature', 'Expires'].map((n) => queryValue(req, n));
  if (!accessKeyId || !signature || !expires) {
    throw new SigV4Error('AccessDenied', 'Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters');
  }
  if (!/^\d+$/.test(expires)) throw new SigV4Error('AccessDenied', `Invalid date (should be seconds since epoch): ${expires}`);
  const sessionToken = req.header('x-amz-security-token') ?? queryValue(req, 'x-amz-security-token');
  // Base64 has no spaces: a space here is a '+' the client left unescaped.
  return {
    version: 'v2', presigned: true, accessKeyId, signature: signature.replace(/ /g, '+'), expires: Number(expires),
    ...(sessionToken !== undefined ? { sessionToken } : {}), request: req,
  };
}
