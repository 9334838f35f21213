// S3 errors: one table of codes with their HTTP status and S3's default message, one error class,
// and the XML body S3 sends with them. Codes, statuses and messages follow the Amazon S3 API
// reference ("Error responses"); where S3's message varies per case, the throw site passes one.
import { escapeXml } from './protocol/xml-escape.js';

export interface S3ErrorSpec {
  readonly status: number;
  readonly message: string;
}

/** Every S3 error code Trove answers with: the key is the `<Code>`. */
export const S3_ERRORS = {
  AccessDenied: { status: 403, message: 'Access Denied' },
  AccountProblem: { status: 403, message: 'There is a problem with your AWS account that prevents the operation from completing successfully.' },
  AllAccessDisabled: { status: 403, message: 'All access to this Amazon S3 resource has been disabled.' },
  AuthorizationHeaderMalformed: { status: 400, message: 'The authorization header that you provided is not valid.' },
  AuthorizationQueryParametersError: { status: 400, message: 'The authorization query parameters that you provided are not valid.' },
  BadDigest: { status: 400, message: 'The Content-MD5 you specified did not match what we received.' },
  BucketAlreadyExists: { status: 409, message: 'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.' },
  BucketAlreadyOwnedByYou: { status: 409, message: 'Your previous request to create the named bucket succeeded and you already own it.' },
  BucketNotEmpty: { status: 409, message: 'The bucket you tried to delete is not empty' },
  ConditionalRequestConflict: { status: 409, message: 'A conflicting operation occurred. If using PutObject you can retry the request. If using CompleteMultipartUpload you should initiate another CreateMultipartUpload request and re-upload each part.' },
  CredentialsNotSupported: { status: 400, message: 'This request does not support credentials.' },
  EntityTooLarge: { status: 400, message: 'Your proposed upload exceeds the maximum allowed object size.' },
  EntityTooSmall: { status: 400, message: 'Your proposed upload is smaller than the minimum allowed object size.' },
  ExpiredToken: { status: 400, message: 'The provided token has expired.' },
  IllegalLocationConstraintException: { status: 400, message: 'The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.' },
  IllegalVersioningConfigurationException: { status: 400, message: 'The versioning configuration specified in the request is invalid.' },
  IncompleteBody: { status: 400, message: 'You did not provide the number of bytes specified by the Content-Length HTTP header.' },
  InternalError: { status: 500, message: 'We encountered an internal error. Please try again.' },
  InvalidAccessKeyId: { status: 403, message: 'The AWS Access Key Id you provided does not exist in our records.' },
  InvalidArgument: { status: 400, message: 'Invalid Argument' },
  InvalidBucketName: { status: 400, message: 'The specified bucket is not valid.' },
  InvalidBucketState: { status: 409, message: 'The request is not valid with the current state of the bucket.' },
  InvalidDigest: { status: 400, message: 'The Content-MD5 you specified is not valid.' },
  InvalidLocationConstraint: { status: 400, message: 'The specified location constraint is not valid.' },
  InvalidObjectState: { status: 403, message: 'The operation is not valid for the current state of the object.' },
  InvalidPart: { status: 400, message: "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag." },
  InvalidPartNumber: { status: 416, message: 'The requested partnumber is not satisfiable' },
  InvalidPartOrder: { status: 400, message: 'The list of parts was not in ascending order. The parts list must be specified in order by part number.' },
  InvalidRange: { status: 416, message: 'The requested range is not satisfiable' },
  InvalidRequest: { status: 400, message: 'Invalid Request' },
  InvalidSecurity: { status: 403, message: 'The provided security credentials are not valid.' },
  InvalidStorageClass: { status: 400, message: 'The storage class you specified is not valid' },
  InvalidTag: { status: 400, message: 'The tag provided was not a valid tag.' },
  InvalidToken: { status: 400, message: 'The provided token is malformed or otherwise invalid.' },
  InvalidURI: { status: 400, message: "Couldn't parse the specified URI." },
  KeyTooLongError: { status: 400, message: 'Your key is too long' },
  MalformedACLError: { status: 400, message: 'The XML you provided was not well-formed or did not validate against our published schema.' },
  MalformedPOSTRequest: { status: 400, message: 'The body of your POST request is not well-formed multipart/form-data.' },
  MalformedXML: { status: 400, message: 'The XML you provided was not well-formed or did not validate against our published schema.' },
  MaxMessageLengthExceeded: { status: 400, message: 'Your request was too big.' },
  MetadataTooLarge: { status: 400, message: 'Your metadata headers exceed the maximum allowed metadata size.' },
  MethodNotAllowed: { status: 405, message: 'The specified method is not allowed against this resource.' },
  MissingContentLength: { status: 411, message: 'You must provide the Content-Length HTTP header.' },
  MissingRequestBodyError: { status: 400, message: 'Request Body is empty' },
  MissingSecurityHeader: { status: 400, message: 'Your request is missing a required header.' },
  NoSuchBucket: { status: 404, message: 'The specified bucket does not exist' },
  NoSuchBucketPolicy: { status: 404, message: 'The bucket policy does not exist' },
  NoSuchCORSConfiguration: { status: 404, message: 'The CORS configuration does not exist' },
  NoSuchKey: { status: 404, message: 'The specified key does not exist.' },
  NoSuchLifecycleConfiguration: { status: 404, message: 'The lifecycle configuration does not exist' },
  NoSuchTagSet: { status: 404, message: 'The TagSet does not exist' },
  NoSuchUpload: { status: 404, message: 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.' },
  NoSuchVersion: { status: 404, message: 'The specified version does not exist.' },
  NoSuchWebsiteConfiguration: { status: 404, message: 'The specified bucket does not have a website configuration' },
  NotImplemented: { status: 501, message: 'A header you provided implies functionality that is not implemented' },
  NotModified: { status: 304, message: 'Not Modified' },
  ObjectLockConfigurationNotFoundError: { status: 404, message: 'Object Lock configuration does not exist for this bucket' },
  OperationAborted: { status: 409, message: 'A conflicting conditional operation is currently in progress against this resource. Please try again.' },
  OwnershipControlsNotFoundError: { status: 404, message: 'The bucket ownership controls were not found' },
  PreconditionFailed: { status: 412, message: 'At least one of the pre-conditions you specified did not hold' },
  RequestTimeTooSkewed: { status: 403, message: "The difference between the request time and the server's time is too large." },
  RequestTimeout: { status: 400, message: 'Your socket connection to the server was not read from or written to within the timeout period.' },
  ServerSideEncryptionConfigurationNotFoundError: { status: 404, message: 'The server side encryption configuration was not found' },
  ServiceUnavailable: { status: 503, message: 'Service is unable to handle request.' },
  SignatureDoesNotMatch: { status: 403, message: 'The request signature we calculated does not match the signature you provided. Check your key and signing method.' },
  SlowDown: { status: 503, message: 'Please reduce your request rate.' },
  TooManyBuckets: { status: 400, message: 'You have attempted to create more buckets than allowed' },
  UnexpectedContent: { status: 400, message: 'This request does not support content' },
  XAmzContentSHA256Mismatch: { status: 400, message: "The provided 'x-amz-content-sha256' header does not match what was computed." },
} as const satisfies Record<string, S3ErrorSpec>;

export type S3ErrorCode = keyof typeof S3_ERRORS;

export function isS3ErrorCode(code: string): code is S3ErrorCode {
  return Object.hasOwn(S3_ERRORS, code);
}

export class S3Error extends Error {
  readonly code: S3ErrorCode;
  readonly status: number;
  /** Extra child elements of `<Error>`, written in insertion order after `<Message>`. */
  readonly extra: Record<string, string>;
  /** The `<Resource>` this error is about; overrides the request's own path in `errorXml`. */
  resource?: string;

  constructor(code: S3ErrorCode, message?: string, extra: Record<string, string> = {}) {
    const spec: S3ErrorSpec = S3_ERRORS[code];
    super(message ?? spec.message);
    this.name = 'S3Error';
    this.code = code;
    this.status = spec.status;
    this.extra = extra;
  }
}

export function s3Error(code: S3ErrorCode, message?: string, extra?: Record<string, string>): S3Error {
  return new S3Error(code, message, extra);
}

export function isS3Error(err: unknown): err is S3Error {
  return err instanceof S3Error;
}

export interface ErrorXmlContext {
  requestId: string;
  /** Usually the request path; `err.resource` wins when set. Omitted when neither is known. */
  resource?: string;
  hostId?: string;
}

function element(name: string, value: string): string {
  return `<${name}>${escapeXml(value)}</${name}>`;
}

/** The body S3 sends with an error (304 and HEAD responses carry none: the writer decides). */
export function errorXml(err: S3Error, ctx: ErrorXmlContext): string {
  const parts = [element('Code', err.code), element('Message', err.message)];
  for (const [name, value] of Object.entries(err.extra)) parts.push(element(name, value));
  const resource = err.resource ?? ctx.resource;
  if (resource !== undefined) parts.push(element('Resource', resource));
  parts.push(element('RequestId', ctx.requestId));
  if (ctx.hostId !== undefined) parts.push(element('HostId', ctx.hostId));
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error>${parts.join('')}</Error>`;
}
