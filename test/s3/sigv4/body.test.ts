// The facade: authenticate (parse, look up the secret, verify) and decodeBody, which picks what
// the body goes through: nothing, a SHA-256 check, or the aws-chunked decoder.
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import t from 'tap';
import {
  authenticate, classifyPayloadHash, createPayloadHashCheck, decodeBody, SigV4Error, storedContentEncoding, type SignedRequest,
} from '../../../src/s3/sigv4/index.js';
import { CREDENTIALS, NOW, signWithSdk } from './sdk-signer.js';

const lookup = (id: string) => (id === CREDENTIALS.accessKeyId ? CREDENTIALS.secretAccessKey : undefined);

async function through(req: SignedRequest, body: Buffer, verified: Parameters<typeof decodeBody>[1]) {
  const decoding = decodeBody(req, verified);
  const source = Readable.from([body]);
  const out = await buffer(decoding.transform ? source.pipe(decoding.transform) : source);
  return { out, decoding, trailers: await decoding.trailers() };
}

t.test('classifyPayloadHash names every x-amz-content-sha256 mode', async (t) => {
  t.same(classifyPayloadHash('UNSIGNED-PAYLOAD'), { kind: 'unsigned' });
  t.same(classifyPayloadHash('A'.repeat(64)), { kind: 'sha256', sha256: 'a'.repeat(64) });
  t.same(classifyPayloadHash('STREAMING-AWS4-HMAC-SHA256-PAYLOAD'), { kind: 'streaming', signed: true, trailer: false });
  t.same(classifyPayloadHash('STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER'), { kind: 'streaming', signed: true, trailer: true });
  t.same(classifyPayloadHash('STREAMING-UNSIGNED-PAYLOAD-TRAILER'), { kind: 'streaming', signed: false, trailer: true });
  for (const bad of ['', 'a'.repeat(63), 'STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD', 'unsigned-payload']) {
    t.throws(() => classifyPayloadHash(bad), { code: 'InvalidArgument' }, JSON.stringify(bad));
  }
});

t.test('the payload hash check passes the body through and fails at its end on a mismatch', async (t) => {
  const body = Buffer.from('hello world');
  const good = createHash('sha256').update(body).digest('hex');
  t.equal((await buffer(Readable.from([body.subarray(0, 3), body.subarray(3)]).pipe(createPayloadHashCheck(good)))).toString(), 'hello world');
  const err = await buffer(Readable.from([body]).pipe(createPayloadHashCheck('0'.repeat(64)))).catch((e: SigV4Error) => e);
  t.ok(err instanceof SigV4Error);
  t.equal((err as SigV4Error).code, 'XAmzContentSHA256Mismatch');
  t.equal((err as SigV4Error).status, 400);
  t.same((err as SigV4Error).extra, { ClientComputedContentSHA256: '0'.repeat(64), S3ComputedContentSHA256: good });
});

t.test('authenticate: anonymous, unknown keys, verified keys', async (t) => {
  t.equal(await authenticate({ method: 'GET', url: '/b/k', headers: { host: 'h' } }, lookup), null);
  const req = await signWithSdk({ path: '/b/k', signed: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } });
  const ok = await authenticate(req, async (id) => lookup(id), { now: NOW });
  t.equal(ok?.verified.accessKeyId, CREDENTIALS.accessKeyId);
  t.equal(ok?.auth.version, 'v4');
  await t.rejects(authenticate(req, () => null, { now: NOW }), { code: 'InvalidAccessKeyId', extra: { AWSAccessKeyId: CREDENTIALS.accessKeyId } });
  await t.rejects(authenticate(req, () => 'wrong', { now: NOW }), { code: 'SignatureDoesNotMatch' });
});

t.test('decodeBody: a hex payload hash is checked, its length taken from Content-Length', async (t) => {
  const body = Buffer.from('some object');
  const sha = createHash('sha256').update(body).digest('hex');
  const req = await signWithSdk({ method: 'PUT', path: '/b/k', signed: { 'x-amz-content-sha256': sha, 'content-length': String(body.length) } });
  const auth = await authenticate(req, lookup, { now: NOW });
  const { out, decoding } = await through(req, body, auth!.verified);
  t.equal(out.toString(), 'some object');
  t.equal(decoding.contentLength, body.length);
  await t.rejects(through(req, Buffer.from('other object'), auth!.verified), { code: 'XAmzContentSHA256Mismatch' });
});

t.test('decodeBody: unsigned payloads pass as they are; aws-chunked bodies are decoded', async (t) => {
  const unsigned = await signWithSdk({ method: 'PUT', path: '/b/k', signed: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', 'content-length': '3' } });
  const plain = decodeBody(unsigned, (await authenticate(unsigned, lookup, { now: NOW }))!.verified);
  t.equal(plain.transform, null);
  t.equal(plain.contentLength, 3);
  t.same(await plain.trailers(), {});
  const chunked = await signWithSdk({
    method: 'PUT', path: '/b/k',
    signed: { 'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', 'x-amz-decoded-content-length': '5', 'x-amz-trailer': 'x-amz-checksum-crc32' },
  });
  const verified = (await authenticate(chunked, lookup, { now: NOW }))!.verified;
  const result = await through(chunked, Buffer.from('5\r\nhello\r\n0\r\nx-amz-checksum-crc32:NhCmhg==\r\n\r\n'), verified);
  t.equal(result.out.toString(), 'hello');
  t.equal(result.decoding.contentLength, 5);
  t.same(result.trailers, { 'x-amz-checksum-crc32': 'NhCmhg==' });
  const badLength = { ...chunked, headers: { ...chunked.headers, 'x-amz-decoded-content-length': 'five' } };
  t.throws(() => decodeBody(badLength, verified), { code: 'InvalidArgument' });
});

t.test('decodeBody for anonymous requests follows their x-amz-content-sha256, if any', async (t) => {
  const anonymous = { method: 'PUT', url: '/b/k', headers: { host: 'h', 'content-length': '2' } };
  t.equal(decodeBody(anonymous, null).transform, null);
  const chunked = { ...anonymous, headers: { host: 'h', 'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER' } };
  t.equal((await through(chunked, Buffer.from('2\r\nhi\r\n0\r\n\r\n'), null)).out.toString(), 'hi');
  const signedChunks = { ...anonymous, headers: { host: 'h', 'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD' } };
  t.throws(() => decodeBody(signedChunks, null), { code: 'InvalidRequest' });
});

t.test('storedContentEncoding drops the aws-chunked transport coding', async (t) => {
  t.equal(storedContentEncoding('aws-chunked'), undefined);
  t.equal(storedContentEncoding('aws-chunked,gzip'), 'gzip');
  t.equal(storedContentEncoding('gzip, AWS-CHUNKED'), 'gzip');
  t.equal(storedContentEncoding(undefined), undefined);
});
