// Authentication failures, with the S3 code each one answers.
export class AuthError extends Error {
  constructor(
    readonly code: 'AccessDenied' | 'AuthorizationHeaderMalformed' | 'AuthorizationQueryParametersError' | 'InvalidAccessKeyId'
      | 'SignatureDoesNotMatch' | 'RequestTimeTooSkewed' | 'XAmzContentSHA256Mismatch' | 'IncompleteBody' | 'InvalidArgument' | 'InvalidRequest',
    message: string,
    readonly extra: Record<string, string> = {},
  ) {
    super(message);
  }
}
