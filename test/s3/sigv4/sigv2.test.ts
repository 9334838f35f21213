// SigV2, checked two ways: against signatures built here from the AWS SigV2 specification
// ("Signing and Authenticating REST Requests"), and against botocore's own signer (boto3
// presigns with SigV2 by default) run in a child process.
import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { parseAuth, SigV4Error, v2StringToSign, verifyRequest, type SignedRequest } from '../../../src/s3/sigv4/index.js';

const AKID = 'TKV2KEY0000000000001';
const SECRET = 'v2 secret+/=%~ünï';
const NOW = Date.UTC(2026, 10, 22, 12);
const HTTP_NOW = new Date(NOW).toUTCString();

const hmacSha1 = (toSign: string) => createHmac('sha1', SECRET).update(toSign, 'utf8').digest('base64');

function verify(req: SignedRequest, now = NOW, secret = SECRET) {
  return verifyRequest(parseAuth(req)!, secret, { now });
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

t.test('header auth: string to sign per the spec, with amz headers and sub-resources', async (t) => {
  const headers = {
    host: 'h', date: HTTP_NOW, 'content-type': 'text/plain', 'content-md5': 'XrY7u+Ae7tCTyyK7j1rNww==',
    'x-amz-meta-b': '  spaced  ', 'x-amz-acl': 'private', 'user-agent': 'ignored',
  };
  const url = '/bucket/a%20b/c%2Bd%27.txt?uploadId=x%2By&partNumber=2&prefix=ignored&response-content-type=text%2Fplain%3B%20x';
  // Spec: Method, Content-MD5, Content-Type, Date, sorted x-amz-* lines, then the resource with
  // its sub-resources sorted by name and their values decoded.
  const expected = [
    'PUT', 'XrY7u+Ae7tCTyyK7j1rNww==', 'text/plain', HTTP_NOW, 'x-amz-acl:private', 'x-amz-meta-b:spaced',
    '/bucket/a%20b/c%2Bd%27.txt?partNumber=2&response-content-type=text/plain; x&uploadId=x+y',
  ].join('\n');
  const req = { method: 'PUT', url, headers: { ...headers, authorization: `AWS ${AKID}:${hmacSha1(expected)}` } };
  const auth = parseAuth(req)!;
  t.equal(auth.version === 'v2' && v2StringToSign(auth), expected);
  t.match(verifyRequest(auth, SECRET, { now: NOW }), { version: 'v2', accessKeyId: AKID, payload: { kind: 'unsigned' } });
});

t.test('header auth: x-amz-date replaces Date, which is then signed empty', async (t) => {
  const headers = { host: 'h', date: 'Thu, 01 Jan 1970 00:00:00 GMT', 'x-amz-date': HTTP_NOW };
  const toSign = ['GET', '', '', '', `x-amz-date:${HTTP_NOW}`, '/bucket/?acl'].join('\n');
  t.ok(verify({ method: 'GET', url: '/bucket/?acl', headers: { ...headers, authorization: `AWS ${AKID}:${hmacSha1(toSign)}` } }));
});

t.test("a bucket's resource is accepted as /bucket and /bucket/; virtual-hosted requests sign the bucket", async (t) => {
  for (const resource of ['/bucket?acl', '/bucket/?acl']) {
    const toSign = ['GET', '', '', HTTP_NOW, resource].join('\n');
    t.ok(verify({ method: 'GET', url: '/bucket?acl', headers: { host: 'h', date: HTTP_NOW, authorization: `AWS ${AKID}:${hmacSha1(toSign)}` } }), resource);
  }
  const toSign = ['GET', '', '', HTTP_NOW, '/bucket/k'].join('\n');
  const req = { method: 'GET', url: '/k', headers: { host: 'bucket.s3.example', date: HTTP_NOW, authorization: `AWS ${AKID}:${hmacSha1(toSign)}` } };
  t.ok(verifyRequest(parseAuth(req)!, SECRET, { now: NOW, virtualHostBucket: 'bucket' }));
  t.equal(caught(() => verify(req)).code, 'SignatureDoesNotMatch');
});

t.test('header auth: clock skew and wrong signatures', async (t) => {
  const toSign = ['GET', '', '', HTTP_NOW, '/bucket/k'].join('\n');
  const req = { method: 'GET', url: '/bucket/k', headers: { host: 'h', date: HTTP_NOW, authorization: `AWS ${AKID}:${hmacSha1(toSign)}` } };
  t.ok(verify(req, NOW + 14 * 60_000));
  t.equal(caught(() => verify(req, NOW + 16 * 60_000)).code, 'RequestTimeTooSkewed');
  t.equal(caught(() => verify({ ...req, headers: { host: 'h', authorization: req.headers.authorization } })).code, 'AccessDenied');
  const err = caught(() => verify(req, NOW, 'other'));
  t.equal(err.code, 'SignatureDoesNotMatch');
  t.equal(err.extra.StringToSign, toSign);
  t.equal(err.extra.AWSAccessKeyId, AKID);
  t.equal(caught(() => verify({ ...req, url: '/bucket/k?versionId=1' })).code, 'SignatureDoesNotMatch', 'a sub-resource is signed');
  t.ok(verify({ ...req, url: '/bucket/k?x-id=GetObject' }), 'other parameters are not');
});

t.test('presigned: Expires replaces Date; expired URLs are AccessDenied', async (t) => {
  const expires = Math.floor(NOW / 1000) + 60;
  const toSign = ['GET', '', '', String(expires), '/bucket/k?versionId=v 1'].join('\n');
  const url = `/bucket/k?versionId=v%201&AWSAccessKeyId=${AKID}&Expires=${expires}&Signature=${encodeURIComponent(hmacSha1(toSign))}`;
  const req = { method: 'GET', url, headers: { host: 'h' } };
  t.match(verify(req), { version: 'v2', presigned: true });
  t.ok(verify(req, expires * 1000));
  const err = caught(() => verify(req, expires * 1000 + 1000));
  t.equal(err.code, 'AccessDenied');
  t.equal(err.message, 'Request has expired');
});

const CASES = {
  accessKeyId: AKID,
  secret: SECRET,
  presign: [
    ['get_object', { Bucket: 'bucket', Key: "a b/c+d~*(x)!'%.txt", ResponseContentType: 'text/plain; x=1', ResponseContentDisposition: 'attachment; filename="ü.txt"' }],
    ['get_object', { Bucket: 'bucket', Key: 'ünï/cödé ✓ 日本.txt', VersionId: 'v+1/2' }],
    ['put_object', { Bucket: 'bucket', Key: 'k e y', ContentType: 'text/plain', Metadata: { note: 'hi there' } }],
    ['upload_part', { Bucket: 'bucket', Key: 'multi part', UploadId: 'up/+=id', PartNumber: 3 }],
    ['list_objects_v2', { Bucket: 'bucket', Prefix: 'a b/', Delimiter: '/' }],
  ],
  header: [
    ['PUT', 'a b/ü.txt', 'uploadId=x%2By&partNumber=2', { 'Content-Type': 'text/plain', 'x-amz-meta-a': ' v ', 'Content-MD5': 'abc' }],
    ['GET', "tilde~star*quote'(paren)", 'acl', {}],
    ['POST', 'k', 'uploads', { 'x-amz-acl': 'public-read', 'x-amz-meta-z': 'z', 'x-amz-meta-a': 'a' }],
    ['GET', '100%.txt', 'response-content-type=text%2Fplain&x-id=GetObject', {}],
  ],
};

interface Reference {
  v2Presigned: string[];
  v4Presigned: string[];
  v2Header: Array<{ method: string; url: string; headers: Record<string, string> }>;
}

function botocoreReference(): Reference {
  const script = fileURLToPath(new URL('./botocore-ref.py', import.meta.url));
  return JSON.parse(execFileSync('python3', [script], { input: JSON.stringify(CASES), encoding: 'utf8' })) as Reference;
}

/** A URL as the server receives it: the path and query, with the Host header. */
function received(method: string, url: string, headers: Record<string, string> = {}): SignedRequest {
  const parsed = new URL(url);
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { method, url: parsed.pathname + parsed.search, headers: { host: parsed.host, ...lower } };
}

t.test('botocore: SigV2 and SigV4 presigned URLs and SigV2-signed headers verify', async (t) => {
  const ref = botocoreReference();
  const now = Date.now();
  const methods = CASES.presign.map(([op]) => (op === 'put_object' || op === 'upload_part' ? 'PUT' : 'GET'));
  ref.v2Presigned.forEach((url, i) => {
    t.match(url, /AWSAccessKeyId=.*Signature=/, 'boto3 presigns with SigV2 by default');
    t.match(verify(received(methods[i]!, url), now), { version: 'v2', presigned: true, accessKeyId: AKID }, url);
    t.equal(caught(() => verify(received(methods[i]!, url), now, 'wrong')).code, 'SignatureDoesNotMatch');
    t.equal(caught(() => verify(received(methods[i]!, url), now + 301_000)).message, 'Request has expired');
  });
  // boto3 moves Content-Type and x-amz-meta-* into the URL; a client may also send them as headers.
  const put = ref.v2Presigned[2]!;
  t.ok(verify(received('PUT', put, { 'content-type': 'text/plain', 'x-amz-meta-note': 'hi there' }), now));
  t.equal(caught(() => verify(received('PUT', put, { 'content-type': 'image/png' }), now)).code, 'SignatureDoesNotMatch');
  ref.v4Presigned.forEach((url, i) => {
    const headers: Record<string, string> = i === 2 ? { 'content-type': 'text/plain', 'x-amz-meta-note': 'hi there' } : {};
    t.match(verify(received(methods[i]!, url, headers), now), { version: 'v4', presigned: true, payload: { kind: 'unsigned' } }, url);
  });
  for (const signed of ref.v2Header) {
    t.match(verify(received(signed.method, signed.url, signed.headers), now), { version: 'v2', presigned: false }, signed.url);
    const tampered = received(signed.method, signed.url, { ...signed.headers, 'x-amz-meta-extra': '1' });
    t.equal(caught(() => verify(tampered, now)).code, 'SignatureDoesNotMatch', 'every x-amz-* header is signed');
  }
});
