// Authentication failures, each carrying the S3 error code (and HTTP status) it answers with.
// The S3 layer converts them to its own S3Error; this module stays free of it.

const STATUS = {
  AccessDenied: 403,
  AuthorizationHeaderMalformed: 400,
  AuthorizationQueryParametersError: 400,
  IncompleteBody: 400,
  InvalidAccessKeyId: 403,
  InvalidArgument: 400,
  InvalidRequest: 400,
  RequestTimeTooSkewed: 403,
  SignatureDoesNotMatch: 403,
  XAmzContentSHA256Mismatch: 400,
} as const;

export type SigV4ErrorCode = keyof typeof STATUS;

export class SigV4Error extends Error {
  readonly status: number;

  constructor(
    readonly code: SigV4ErrorCode,
    message: string,
    /** Extra child elements of S3's `<Error>` (e.g. CanonicalRequest, ServerTime). */
    readonly extra: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'SigV4Error';
    this.status = STATUS[code];
  }
}
