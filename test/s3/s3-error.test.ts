import t from 'tap';
import { errorXml, isS3Error, isS3ErrorCode, S3_ERRORS, S3Error, s3Error, type S3ErrorCode } from '../../src/s3/s3-error.js';

const DECL = '<?xml version="1.0" encoding="UTF-8"?>\n';

t.test('the table carries the status S3 answers for each code', async (t) => {
  const expected: Partial<Record<S3ErrorCode, number>> = {
    AccessDenied: 403,
    AccountProblem: 403,
    AuthorizationHeaderMalformed: 400,
    AuthorizationQueryParametersError: 400,
    BadDigest: 400,
    BucketAlreadyExists: 409,
    BucketAlreadyOwnedByYou: 409,
    BucketNotEmpty: 409,
    ConditionalRequestConflict: 409,
    EntityTooLarge: 400,
    EntityTooSmall: 400,
    ExpiredToken: 400,
    IncompleteBody: 400,
    InternalError: 500,
    InvalidAccessKeyId: 403,
    InvalidArgument: 400,
    InvalidBucketName: 400,
    InvalidBucketState: 409,
    InvalidDigest: 400,
    InvalidObjectState: 403,
    InvalidPart: 400,
    InvalidPartNumber: 416,
    InvalidPartOrder: 400,
    InvalidRange: 416,
    InvalidRequest: 400,
    InvalidStorageClass: 400,
    KeyTooLongError: 400,
    MalformedXML: 400,
    MaxMessageLengthExceeded: 400,
    MetadataTooLarge: 400,
    MethodNotAllowed: 405,
    MissingContentLength: 411,
    MissingRequestBodyError: 400,
    NoSuchBucket: 404,
    NoSuchBucketPolicy: 404,
    NoSuchCORSConfiguration: 404,
    NoSuchKey: 404,
    NoSuchLifecycleConfiguration: 404,
    NoSuchTagSet: 404,
    NoSuchUpload: 404,
    NoSuchVersion: 404,
    NotImplemented: 501,
    NotModified: 304,
    OperationAborted: 409,
    PreconditionFailed: 412,
    RequestTimeTooSkewed: 403,
    RequestTimeout: 400,
    ServiceUnavailable: 503,
    SignatureDoesNotMatch: 403,
    SlowDown: 503,
    XAmzContentSHA256Mismatch: 400,
  };
  for (const [code, status] of Object.entries(expected)) {
    t.equal(S3_ERRORS[code as S3ErrorCode].status, status, code);
  }
  for (const [code, spec] of Object.entries(S3_ERRORS)) {
    t.ok(spec.message.length > 0, `${code} has a message`);
    t.ok(spec.status >= 300 && spec.status < 600, `${code} has an HTTP error status`);
  }
});

t.test('S3Error takes status and default message from the table', async (t) => {
  const err = s3Error('NoSuchKey');
  t.ok(err instanceof Error);
  t.ok(isS3Error(err));
  t.notOk(isS3Error(new Error('x')));
  t.equal(err.name, 'S3Error');
  t.equal(err.code, 'NoSuchKey');
  t.equal(err.status, 404);
  t.equal(err.message, 'The specified key does not exist.');
  t.same(err.extra, {});
  t.equal(err.resource, undefined);

  const custom = new S3Error('InvalidArgument', 'Bad max-keys', { ArgumentName: 'max-keys', ArgumentValue: '-1' });
  t.equal(custom.status, 400);
  t.equal(custom.message, 'Bad max-keys');
  t.same(custom.extra, { ArgumentName: 'max-keys', ArgumentValue: '-1' });
});

t.test('isS3ErrorCode knows the table and nothing else', async (t) => {
  t.ok(isS3ErrorCode('SlowDown'));
  t.notOk(isS3ErrorCode('TooManyParts'));
  t.notOk(isS3ErrorCode('toString'));
});

t.test('errorXml writes S3 error bodies with extra fields in order, escaped', async (t) => {
  const err = s3Error('InvalidRange', undefined, { RangeRequested: 'bytes=10-', ActualObjectSize: '5' });
  t.equal(
    errorXml(err, { requestId: 'R1', hostId: 'H1', resource: '/repo/a<b>&c' }),
    `${DECL}<Error><Code>InvalidRange</Code><Message>The requested range is not satisfiable</Message>` +
      '<RangeRequested>bytes=10-</RangeRequested><ActualObjectSize>5</ActualObjectSize>' +
      '<Resource>/repo/a&lt;b&gt;&amp;c</Resource><RequestId>R1</RequestId><HostId>H1</HostId></Error>',
  );
});

t.test("the error's own resource wins; without any, and without a host id, both are left out", async (t) => {
  const err = s3Error('NoSuchBucket', 'gone "now"');
  t.equal(
    errorXml(err, { requestId: 'R2' }),
    `${DECL}<Error><Code>NoSuchBucket</Code><Message>gone &quot;now&quot;</Message><RequestId>R2</RequestId></Error>`,
  );
  err.resource = '/other';
  t.match(errorXml(err, { requestId: 'R2', resource: '/repo' }), '<Resource>/other</Resource><RequestId>R2</RequestId>');
});
