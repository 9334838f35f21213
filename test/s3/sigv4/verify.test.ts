// SigV4 verification cross-checked against the AWS SDK's own signer: header auth and presigned
// URLs over awkward keys and queries, headers signers usually skip, clock skew, expiry, scope,
// and the debugging details of a mismatch.
import crypto from 'node:crypto';
import t from 'tap';
import { parseAuth, SigV4Error, verifyRequest, type SignedRequest, type VerifyOptions } from '../../../src/s3/sigv4/index.js';
import { CREDENTIALS, encodeKeyPath, NOW, presignWithSdk, REGION, signWithSdk, type Query } from './sdk-signer.js';

const KEYS = [
  'plain.txt', 'a b/c+d.txt', '100%/x%2Fy', 'ünï/cödé ✓ 日本.txt', "tilde~star*quote'(paren)", 'dir/', 'semi;colon=eq&amp?q#h',
  'double//slash', ' lead and trail ', 'emoji 🎉',
];
const QUERIES: Query[] = [
  {},
  { uploadId: 'abc/+=', partNumber: '3' },
  { 'response-content-type': 'text/plain; charset=utf-8', empty: '' },
  { tag: ['b', 'a', ''], 'x-id': 'PutObject', 'ünï ~*': "'()!" },
];
const PAYLOAD = 'UNSIGNED-PAYLOAD';

function verify(req: SignedRequest, opts: VerifyOptions = {}, secret = CREDENTIALS.secretAccessKey) {
  const auth = parseAuth(req);
  if (!auth) throw new Error('anonymous');
  return verifyRequest(auth, secret, { now: NOW, ...opts });
}

function caught(fn: () => unknown): SigV4Error {
  try {
    fn();
  } catch (err) {
    if (err instanceof SigV4Error) return err;
    throw err;
  }
  throw new Error('expected a SigV4Error');
}

t.test('header signatures by the SDK signer verify for every awkward key and query', async (t) => {
  for (const key of KEYS) {
    for (const query of QUERIES) {
      const req = await signWithSdk({
        method: 'PUT', path: encodeKeyPath('bucket', key), query,
        signed: { 'x-amz-content-sha256': PAYLOAD, 'x-amz-meta-note': '  two   spaces\tand tab ' },
        unsigned: { 'accept-encoding': 'gzip' },
      });
      const verified = verify(req);
      t.equal(verified.accessKeyId, CREDENTIALS.accessKeyId, `${key} ${JSON.stringify(query)}`);
    }
  }
});

t.test('headers a signer usually skips are signed when the client lists them', async (t) => {
  const req = await signWithSdk({
    method: 'PUT', path: encodeKeyPath('bucket', 'big.bin'),
    signed: {
      'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', 'user-agent': 'aws-cli/1.45 Python/3', expect: '100-continue',
      'transfer-encoding': 'chunked', 'content-length': '1234', 'content-encoding': 'aws-chunked', 'x-amz-trailer': 'x-amz-checksum-crc32',
    },
  });
  const signedHeaders = /SignedHeaders=([^,]+)/.exec(String(req.headers.authorization))![1]!;
  t.match(signedHeaders, /content-length;.*expect;.*transfer-encoding;user-agent/);
  t.same(verify(req).payload, { kind: 'streaming', signed: false, trailer: true });
  const changed = { ...req, headers: { ...req.headers, 'user-agent': 'other' } };
  t.equal(caught(() => verify(changed)).code, 'SignatureDoesNotMatch');
});

t.test('the request is taken as sent: escapes left verbatim, raw characters encoded', async (t) => {
  const req = await signWithSdk({ path: encodeKeyPath('bucket', "it's (a) test*!"), signed: { 'x-amz-content-sha256': PAYLOAD } });
  // A client that leaves ' ( ) * ! raw on the wire but signs them encoded, as AWS specifies.
  const raw = { ...req, url: "/bucket/it's%20(a)%20test*!" };
  t.ok(verify(raw));
  // %2F is not a slash, and an escape is not re-encoded.
  const slash = await signWithSdk({ path: '/bucket/a%2Fb', signed: { 'x-amz-content-sha256': PAYLOAD } });
  t.ok(verify(slash));
  t.equal(caught(() => verify({ ...slash, url: '/bucket/a/b' })).code, 'SignatureDoesNotMatch');
  t.equal(caught(() => verify({ ...slash, url: '/bucket/a%252Fb' })).code, 'SignatureDoesNotMatch');
  // A query may be sent with '+' for spaces, lower-case escapes or needless escapes.
  const query = await signWithSdk({ path: '/bucket', query: { prefix: 'a b~c', 'list-type': '2' }, signed: { 'x-amz-content-sha256': PAYLOAD } });
  t.ok(verify({ ...query, url: '/bucket?prefix=a+b%7ec&list-type=2' }));
  t.ok(verify({ ...query, url: '/bucket?list-type=%32&prefix=a%20b~c' }));
});

t.test('presigned URLs by the SDK signer verify for every awkward key and query', async (t) => {
  for (const key of KEYS) {
    for (const query of QUERIES) {
      const req = await presignWithSdk({ path: encodeKeyPath('bucket', key), query: { ...query, 'x-id': 'GetObject' } });
      t.equal(verify(req).presigned, true, `${key} ${JSON.stringify(query)}`);
    }
  }
  const hoisted = await presignWithSdk({ method: 'PUT', path: '/bucket/k', signed: { 'x-amz-meta-a': 'b' } });
  t.match(hoisted.url, /x-amz-meta-a=b/);
  t.same(verify(hoisted).payload, { kind: 'unsigned' });
});

t.test('presigned URLs expire; ones signed in the future are not valid yet', async (t) => {
  const req = await presignWithSdk({ path: '/bucket/plain.txt', expiresIn: 300 });
  t.ok(verify(req, { now: NOW.getTime() + 300_000 }));
  const expired = caught(() => verify(req, { now: NOW.getTime() + 301_000 }));
  t.equal(expired.code, 'AccessDenied');
  t.equal(expired.message, 'Request has expired');
  t.equal(expired.extra['X-Amz-Expires'], '300');
  // Presigned URLs are not subject to the 15-minute skew: only to their expiry.
  const week = await presignWithSdk({ path: '/bucket/plain.txt', expiresIn: 604800 });
  t.ok(verify(week, { now: NOW.getTime() + 6 * 86400_000 }));
  t.equal(caught(() => verify(week, { now: NOW.getTime() - 16 * 60_000 })).message, 'Request is not valid yet');
  t.ok(verify(week, { now: NOW.getTime() - 14 * 60_000 }));
});

t.test('header auth more than 15 minutes off the server clock is RequestTimeTooSkewed', async (t) => {
  const req = await signWithSdk({ path: '/bucket/k', signed: { 'x-amz-content-sha256': PAYLOAD } });
  t.ok(verify(req, { now: NOW.getTime() + 15 * 60_000 }));
  t.ok(verify(req, { now: new Date(NOW.getTime() - 15 * 60_000) }));
  for (const offset of [15 * 60_000 + 1000, -(15 * 60_000 + 1000)]) {
    const err = caught(() => verify(req, { now: NOW.getTime() + offset }));
    t.equal(err.code, 'RequestTimeTooSkewed');
    t.equal(err.status, 403);
    t.same(Object.keys(err.extra), ['RequestTime', 'ServerTime', 'MaxAllowedSkewMilliseconds']);
    t.equal(err.extra.RequestTime, '20261122T120000Z');
  }
});

t.test('the Date header stands in for x-amz-date when a client signs with it', async (t) => {
  // Signed by hand: the SDK signer always adds x-amz-date (and drops a signed Date header).
  const { canonicalRequest, stringToSign, signingKey } = await import('../../../src/s3/sigv4/canonical.js');
  const date = 'Sun, 22 Nov 2026 12:00:00 GMT';
  const headers = { host: 'h', date, 'x-amz-content-sha256': PAYLOAD };
  const canonical = canonicalRequest({
    method: 'GET', rawPath: '/b/k', params: [], header: (n) => headers[n as keyof typeof headers], signedHeaders: ['date', 'host', 'x-amz-content-sha256'],
    payloadHash: PAYLOAD, presigned: false,
  });
  const scope = `20261122/${REGION}/s3/aws4_request`;
  const signature = crypto.createHmac('sha256', signingKey(CREDENTIALS.secretAccessKey, '20261122', REGION, 's3'))
    .update(stringToSign('20261122T120000Z', scope, canonical)).digest('hex');
  const req = { method: 'GET', url: '/b/k', headers: { ...headers, authorization: `AWS4-HMAC-SHA256 Credential=${CREDENTIALS.accessKeyId}/${scope},SignedHeaders=date;host;x-amz-content-sha256,Signature=${signature}` } };
  t.ok(verify(req));
  t.equal(caught(() => verify(req, { now: NOW.getTime() + 20 * 60_000 })).code, 'RequestTimeTooSkewed');
});

t.test('a wrong secret or a changed request is SignatureDoesNotMatch, with what we signed', async (t) => {
  const req = await signWithSdk({ method: 'PUT', path: '/bucket/plain.txt', query: { a: '1' }, signed: { 'x-amz-content-sha256': PAYLOAD } });
  const err = caught(() => verify(req, {}, 'another secret'));
  t.equal(err.code, 'SignatureDoesNotMatch');
  t.equal(err.status, 403);
  t.same(Object.keys(err.extra), ['AWSAccessKeyId', 'StringToSign', 'SignatureProvided', 'StringToSignBytes', 'CanonicalRequest', 'CanonicalRequestBytes']);
  t.equal(err.extra.AWSAccessKeyId, CREDENTIALS.accessKeyId);
  t.equal(err.extra.CanonicalRequest, [
    'PUT', '/bucket/plain.txt', 'a=1', 'host:127.0.0.1:9000', 'x-amz-content-sha256:UNSIGNED-PAYLOAD', 'x-amz-date:20261122T120000Z', '',
    'host;x-amz-content-sha256;x-amz-date', 'UNSIGNED-PAYLOAD',
  ].join('\n'));
  t.match(err.extra.StringToSign, /^AWS4-HMAC-SHA256\n20261122T120000Z\n20261122\/eu-west-3\/s3\/aws4_request\n[0-9a-f]{64}$/);
  t.match(err.extra.StringToSignBytes, /^41 57 53 34 2d /);
  t.equal(err.extra.SignatureProvided, /Signature=([0-9a-f]+)/.exec(String(req.headers.authorization))![1]);
  for (const changed of [
    { ...req, method: 'POST' },
    { ...req, url: '/bucket/plain.txt?a=2' },
    { ...req, url: '/bucket/plain.txt?a=1&b=2' },
    { ...req, url: '/bucket/Plain.txt?a=1' },
    { ...req, headers: { ...req.headers, host: 'evil:9000' } },
  ]) t.equal(caught(() => verify(changed)).code, 'SignatureDoesNotMatch', `${changed.method} ${changed.url}`);
  // Headers the client did not sign may change freely.
  t.ok(verify({ ...req, headers: { ...req.headers, 'x-forwarded-for': '10.0.0.1' } }));
});

t.test('every signature comparison goes through crypto.timingSafeEqual', async (t) => {
  const real = crypto.timingSafeEqual;
  let calls = 0;
  crypto.timingSafeEqual = (a, b) => {
    calls++;
    return real(a, b);
  };
  t.teardown(() => {
    crypto.timingSafeEqual = real;
  });
  const req = await signWithSdk({ path: '/bucket/k', signed: { 'x-amz-content-sha256': PAYLOAD } });
  verify(req);
  t.equal(calls, 1);
  caught(() => verify(req, {}, 'wrong'));
  t.equal(calls, 2);
});

t.test('scope: the service must be s3 and a pinned region must match', async (t) => {
  const req = await signWithSdk({ path: '/bucket/k', signed: { 'x-amz-content-sha256': PAYLOAD } });
  t.ok(verify(req, { allowedRegion: REGION }));
  const header = caught(() => verify(req, { allowedRegion: 'us-east-1' }));
  t.equal(header.code, 'AuthorizationHeaderMalformed');
  t.equal(header.message, "The authorization header is malformed; the region 'eu-west-3' is wrong; expecting 'us-east-1'");
  t.same(header.extra, { Region: 'us-east-1' });
  const presigned = await presignWithSdk({ path: '/bucket/k' });
  const query = caught(() => verify(presigned, { allowedRegion: 'us-east-1' }));
  t.equal(query.code, 'AuthorizationQueryParametersError'); // what S3 answers for a presigned URL
  t.same(query.extra, { Region: 'us-east-1' });
  t.equal(caught(() => verify(req, { service: 'sts' })).code, 'AuthorizationHeaderMalformed');
});

t.test('payload hash: the declared x-amz-content-sha256 is signed and classified', async (t) => {
  const sha = crypto.createHash('sha256').update('hello').digest('hex');
  const req = await signWithSdk({ method: 'PUT', path: '/bucket/k', signed: { 'x-amz-content-sha256': sha } });
  t.same(verify(req).payload, { kind: 'sha256', sha256: sha });
  t.equal(caught(() => verify(req, { payloadHash: 'UNSIGNED-PAYLOAD' })).code, 'SignatureDoesNotMatch');
  const missing = { ...req, headers: { ...req.headers } };
  delete missing.headers['x-amz-content-sha256'];
  t.equal(caught(() => verify(missing)).code, 'InvalidRequest');
  const junk = await signWithSdk({ method: 'PUT', path: '/bucket/k', signed: { 'x-amz-content-sha256': 'STREAMING-NOPE' } });
  const err = caught(() => verify(junk));
  t.equal(err.code, 'InvalidArgument');
  t.equal(err.extra.ArgumentName, 'x-amz-content-sha256');
  const signedChunks = await signWithSdk({ method: 'PUT', path: '/bucket/k', signed: { 'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD' } });
  const verified = verify(signedChunks);
  t.same(verified.payload, { kind: 'streaming', signed: true, trailer: false });
  t.equal(verified.chunkSigning?.seedSignature, /Signature=([0-9a-f]+)/.exec(String(signedChunks.headers.authorization))![1]);
  t.equal(verified.chunkSigning?.scope, `20261122/${REGION}/s3/aws4_request`);
});
