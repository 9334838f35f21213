// Recognising how a request is signed, without the secret, and refusing malformed
// credentials with the S3 error a client would get from S3.
import t from 'tap';
import { parseAuth, SigV4Error, type SignedRequest } from '../../../src/s3/sigv4/index.js';

const SIG = 'a'.repeat(64);
const DATE = '20261122T120000Z';
const v4 = (authorization: string, extra: Record<string, string> = {}): SignedRequest => ({
  method: 'get', url: '/b/k', headers: { host: 'h', 'x-amz-date': DATE, authorization, ...extra },
});
const query = (q: string, headers: Record<string, string> = { host: 'h' }): SignedRequest => ({ method: 'GET', url: `/b/k?${q}`, headers });
const PRESIGNED = `X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20261122%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=${DATE}&X-Amz-Expires=300&X-Amz-SignedHeaders=host&X-Amz-Signature=${SIG}`;

function error(req: SignedRequest): SigV4Error {
  try {
    parseAuth(req);
  } catch (err) {
    if (err instanceof SigV4Error) return err;
    throw err;
  }
  throw new Error('expected a SigV4Error');
}

t.test('anonymous requests parse to null', async (t) => {
  t.equal(parseAuth({ method: 'GET', url: '/b/k?prefix=a', headers: { host: 'h' } }), null);
  t.equal(parseAuth({ method: 'GET', url: '/', headers: { host: 'h', authorization: '' } }), null);
});

t.test('SigV4 Authorization headers, in the spacings clients send', async (t) => {
  const forms = [
    `AWS4-HMAC-SHA256 Credential=AKID/20261122/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=${SIG}`,
    `AWS4-HMAC-SHA256 Credential=AKID/20261122/us-east-1/s3/aws4_request,SignedHeaders=host;x-amz-date,Signature=${SIG}`,
    `AWS4-HMAC-SHA256  Credential = AKID/20261122/us-east-1/s3/aws4_request ,\n  SignedHeaders=host;x-amz-date,  Signature=${SIG} `,
    `AWS4-HMAC-SHA256 Signature=${SIG}, SignedHeaders=host;x-amz-date, Credential=AKID/20261122/us-east-1/s3/aws4_request,`,
  ];
  for (const form of forms) {
    const auth = parseAuth(v4(form));
    t.match(auth, {
      version: 'v4', presigned: false, accessKeyId: 'AKID', signature: SIG, amzDate: DATE, signedHeaders: ['host', 'x-amz-date'],
      credential: { accessKeyId: 'AKID', date: '20261122', region: 'us-east-1', service: 's3', scope: '20261122/us-east-1/s3/aws4_request' },
    }, JSON.stringify(form));
    t.equal(auth?.request.method, 'GET');
  }
  const slashKey = parseAuth(v4(`AWS4-HMAC-SHA256 Credential=a/b/20261122/r/s3/aws4_request, SignedHeaders=host, Signature=${SIG}`));
  t.equal(slashKey?.accessKeyId, 'a/b', 'the key id is everything before the last four parts');
  const token = parseAuth(v4(`AWS4-HMAC-SHA256 Credential=AKID/20261122/r/s3/aws4_request, SignedHeaders=host, Signature=${SIG}`, { 'x-amz-security-token': 'tok' }));
  t.equal(token?.sessionToken, 'tok');
});

t.test('malformed SigV4 headers are AuthorizationHeaderMalformed', async (t) => {
  const cred = 'Credential=AKID/20261122/us-east-1/s3/aws4_request';
  for (const bad of [
    `AWS4-HMAC-SHA256 ${cred}, SignedHeaders=host`,
    `AWS4-HMAC-SHA256 ${cred}, SignedHeaders=host, Signature=${SIG}, Extra=1`,
    `AWS4-HMAC-SHA256 ${cred}, ${cred}, SignedHeaders=host, Signature=${SIG}`,
    `AWS4-HMAC-SHA256 Credential=AKID/20261122/us-east-1/s3, SignedHeaders=host, Signature=${SIG}`,
    `AWS4-HMAC-SHA256 Credential=AKID/2026112/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=${SIG}`,
    `AWS4-HMAC-SHA256 Credential=/20261122/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=${SIG}`,
    `AWS4-HMAC-SHA256 Credential=AKID/20261121/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=${SIG}`,
    `AWS4-HMAC-SHA256 ${cred}, SignedHeaders=host;;x-amz-date, Signature=${SIG}`,
  ]) t.equal(error(v4(bad)).code, 'AuthorizationHeaderMalformed', bad);
  t.match(error(v4(`AWS4-HMAC-SHA256 Credential=AKID/20261121/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=${SIG}`)).message, /Date is not the same as X-Amz-Date/);
  const unsignedHost = error(v4(`AWS4-HMAC-SHA256 ${cred}, SignedHeaders=x-amz-date, Signature=${SIG}`));
  t.equal(unsignedHost.code, 'AccessDenied');
  const noDate = error({ method: 'GET', url: '/', headers: { host: 'h', authorization: `AWS4-HMAC-SHA256 ${cred}, SignedHeaders=host, Signature=${SIG}` } });
  t.equal(noDate.code, 'AccessDenied');
  t.equal(error(v4(`AWS4-HMAC-SHA256 ${cred}, SignedHeaders=host, Signature=${SIG}`, { 'x-amz-date': '2026-11-22T12:00:00Z' })).code, 'AccessDenied');
});

t.test('an HTTP Date header stands in for x-amz-date', async (t) => {
  const auth = parseAuth({ method: 'GET', url: '/', headers: {
    host: 'h', date: 'Sun, 22 Nov 2026 12:00:00 GMT',
    authorization: `AWS4-HMAC-SHA256 Credential=AKID/20261122/us-east-1/s3/aws4_request, SignedHeaders=date;host, Signature=${SIG}`,
  } });
  t.equal(auth?.version === 'v4' && auth.amzDate, DATE);
});

t.test('unsupported or doubled mechanisms are InvalidArgument', async (t) => {
  const unsupported = error({ method: 'GET', url: '/', headers: { authorization: 'Bearer xyz' } });
  t.equal(unsupported.code, 'InvalidArgument');
  t.same(unsupported.extra, { ArgumentName: 'Authorization', ArgumentValue: 'Bearer xyz' });
  t.equal(error(query(PRESIGNED, { host: 'h', authorization: 'AWS AKID:sig' })).code, 'InvalidArgument');
  t.equal(error(query('Signature=x&Expires=1&AWSAccessKeyId=a', { host: 'h', authorization: 'AWS AKID:sig' })).code, 'InvalidArgument');
});

t.test('SigV4 presigned query parameters', async (t) => {
  const auth = parseAuth(query(`${PRESIGNED}&X-Amz-Security-Token=t%2Bk`));
  t.match(auth, { version: 'v4', presigned: true, accessKeyId: 'AKID', expiresSeconds: 300, amzDate: DATE, signature: SIG, sessionToken: 't+k' });
  const drop = (name: string) => PRESIGNED.split('&').filter((p) => !p.startsWith(`${name}=`)).join('&');
  for (const name of ['X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Expires', 'X-Amz-SignedHeaders', 'X-Amz-Signature']) {
    t.equal(error(query(drop(name))).code, 'AuthorizationQueryParametersError', `without ${name}`);
  }
  const replace = (name: string, value: string) => PRESIGNED.replace(new RegExp(`${name}=[^&]*`), `${name}=${value}`);
  for (const [name, value, message] of [
    ['X-Amz-Algorithm', 'AWS4-HMAC-SHA1', /only supports "AWS4-HMAC-SHA256"/],
    ['X-Amz-Expires', '604801', /less than a week/],
    ['X-Amz-Expires', '-1', /non-negative/],
    ['X-Amz-Expires', 'soon', /should be a number/],
    ['X-Amz-Date', '20261122T12000Z', /ISO8601/],
    ['X-Amz-Date', '20261123T120000Z', /Date is not the same/],
    ['X-Amz-Credential', 'AKID%2F20261122%2Fus-east-1%2Fs3', /Credential is mal-formed/],
  ] as const) {
    const err = error(query(replace(name, value)));
    t.equal(err.code, 'AuthorizationQueryParametersError', `${name}=${value}`);
    t.match(err.message, message);
  }
  t.equal(parseAuth(query(replace('X-Amz-Expires', '604800')))?.version, 'v4');
});

t.test('SigV2 Authorization headers and presigned query strings', async (t) => {
  t.match(parseAuth({ method: 'GET', url: '/b/k', headers: { authorization: 'AWS AKID:c2lnbmF0dXJl+/0=' } }),
    { version: 'v2', presigned: false, accessKeyId: 'AKID', signature: 'c2lnbmF0dXJl+/0=' });
  for (const bad of ['AWS AKID', 'AWS :sig', 'AWS AKID:']) {
    const err = error({ method: 'GET', url: '/', headers: { authorization: bad } });
    t.equal(err.code, 'InvalidArgument', bad);
  }
  t.match(parseAuth(query('AWSAccessKeyId=AKID&Expires=1795000000&Signature=ab%2Bc%2F%3D')),
    { version: 'v2', presigned: true, accessKeyId: 'AKID', expires: 1795000000, signature: 'ab+c/=' });
  t.equal(parseAuth(query('AWSAccessKeyId=AKID&Expires=1795000000&Signature=ab+c'))?.signature, 'ab+c', "an unescaped '+' stays a '+'");
  t.equal(error(query('AWSAccessKeyId=AKID&Signature=x')).code, 'AccessDenied');
  t.equal(error(query('AWSAccessKeyId=AKID&Signature=x&Expires=tomorrow')).code, 'AccessDenied');
});
