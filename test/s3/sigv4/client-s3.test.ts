// End to end: @aws-sdk/client-s3 talks to a bare node:http server on 127.0.0.1 that records each
// raw request; every recorded request must verify with our code, and its body decode to what
// the client sent (Buffer bodies: hex SHA-256; stream bodies: STREAMING-UNSIGNED-PAYLOAD-TRAILER;
// the SDK needs a stream's ContentLength for x-amz-decoded-content-length).
import { createServer, get, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { crc32 } from 'node:zlib';
import {
  CreateMultipartUploadCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client, UploadPartCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import t, { type Test } from 'tap';
import { authenticate, decodeBody, type SignedRequest } from '../../../src/s3/sigv4/index.js';

const CREDENTIALS = { accessKeyId: 'TKE2EKEY000000000001', secretAccessKey: "e2e secret+/=%~'ü" };
const REGION = 'eu-west-3';
const KEYS = ['a b/c+d.txt', "tilde~star*quote'(paren)!", '100%/ünï ✓ 日本.bin', 'semi;colon=eq&amp?#'];

interface Recorded {
  request: SignedRequest;
  body: Buffer;
}

async function startServer(t: Test) {
  const recorded: Recorded[] = [];
  const server = createServer(async (req, res) => {
    const body = await buffer(req);
    recorded.push({ request: { method: req.method!, url: req.url!, headers: req.headers as IncomingHttpHeaders }, body });
    const url = new URL(req.url!, 'http://x');
    res.setHeader('x-amz-request-id', 'R');
    if (url.searchParams.has('uploads')) {
      res.setHeader('content-type', 'application/xml');
      res.end('<?xml version="1.0" encoding="UTF-8"?><InitiateMultipartUploadResult><Bucket>bucket</Bucket><Key>k</Key><UploadId>up/+=id</UploadId></InitiateMultipartUploadResult>');
    } else if (url.searchParams.get('list-type') === '2') {
      res.setHeader('content-type', 'application/xml');
      res.end('<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>bucket</Name><KeyCount>0</KeyCount><MaxKeys>1000</MaxKeys><IsTruncated>false</IsTruncated></ListBucketResult>');
    } else if (req.method === 'GET') {
      res.setHeader('content-type', 'text/plain');
      res.setHeader('etag', '"e"');
      res.end('object body');
    } else {
      res.setHeader('etag', '"e"');
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new S3Client({ endpoint, region: REGION, credentials: CREDENTIALS, forcePathStyle: true });
  t.teardown(() => client.destroy());
  return { recorded, client, endpoint };
}

const lookup = (id: string) => (id === CREDENTIALS.accessKeyId ? CREDENTIALS.secretAccessKey : undefined);

/** Verifies a recorded request and reads its body the way the gateway will. */
async function verifyRecorded({ request, body }: Recorded) {
  const authenticated = await authenticate(request, lookup, { allowedRegion: REGION });
  if (!authenticated) throw new Error('the SDK request was not signed');
  const decoding = decodeBody(request, authenticated.verified);
  const source = Readable.from([body]);
  const decoded = await buffer(decoding.transform ? source.pipe(decoding.transform) : source);
  return { verified: authenticated.verified, decoded, contentLength: decoding.contentLength, trailers: await decoding.trailers() };
}

const crc32Base64 = (data: Buffer) => {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(crc32(data));
  return out.toString('base64');
};

t.test('PutObject with a Buffer body: hex SHA-256, checksum header', async (t) => {
  const { recorded, client } = await startServer(t);
  for (const key of KEYS) {
    const data = Buffer.from(`contents of ${key}`);
    await client.send(new PutObjectCommand({ Bucket: 'bucket', Key: key, Body: data, Metadata: { note: ' spaced  value ' } }));
    const last = recorded.at(-1)!;
    const result = await verifyRecorded(last);
    t.equal(result.verified.payload.kind, 'sha256', key);
    t.ok(result.decoded.equals(data));
    t.equal(last.request.headers['x-amz-checksum-crc32'], crc32Base64(data));
    const tampered = { ...last, body: Buffer.from(`CONTENTS of ${key}`) };
    await t.rejects(verifyRecorded(tampered), { code: 'XAmzContentSHA256Mismatch' });
    const moved = { ...last, request: { ...last.request, url: last.request.url.replace('/bucket/', '/bucket2/') } };
    await t.rejects(verifyRecorded(moved), { code: 'SignatureDoesNotMatch' });
  }
});

t.test('PutObject with a stream body: STREAMING-UNSIGNED-PAYLOAD-TRAILER', async (t) => {
  const { recorded, client } = await startServer(t);
  for (const key of KEYS) {
    const data = Buffer.alloc(200_000, key);
    await client.send(new PutObjectCommand({ Bucket: 'bucket', Key: key, Body: Readable.from([data.subarray(0, 70_000), data.subarray(70_000)]), ContentLength: data.length }));
    const last = recorded.at(-1)!;
    t.equal(last.request.headers['x-amz-content-sha256'], 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', key);
    t.equal(last.request.headers['content-encoding'], 'aws-chunked');
    const result = await verifyRecorded(last);
    t.same(result.verified.payload, { kind: 'streaming', signed: false, trailer: true });
    t.ok(result.decoded.equals(data));
    t.equal(result.contentLength, data.length);
    t.same(result.trailers, { 'x-amz-checksum-crc32': crc32Base64(data) });
  }
});

t.test('GetObject, ListObjectsV2 and multipart requests verify', async (t) => {
  const { recorded, client } = await startServer(t);
  for (const key of KEYS) {
    const got = await client.send(new GetObjectCommand({ Bucket: 'bucket', Key: key, ResponseContentType: 'text/plain; charset=utf-8', Range: 'bytes=0-4' }));
    t.equal(await got.Body?.transformToString(), 'object body');
    t.equal((await verifyRecorded(recorded.at(-1)!)).verified.accessKeyId, CREDENTIALS.accessKeyId, key);
  }
  await client.send(new ListObjectsV2Command({ Bucket: 'bucket', Prefix: "a b+c/ü~*'", Delimiter: '/', StartAfter: '' }));
  t.ok(await verifyRecorded(recorded.at(-1)!));
  const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: 'bucket', Key: KEYS[0] }));
  t.ok(await verifyRecorded(recorded.at(-1)!));
  await client.send(new UploadPartCommand({ Bucket: 'bucket', Key: KEYS[1], UploadId, PartNumber: 2, Body: Buffer.from('part') }));
  const part = recorded.at(-1)!;
  t.match(part.request.url, /uploadId=up%2F%2B%3Did/);
  t.equal((await verifyRecorded(part)).decoded.toString(), 'part');
});

t.test('a presigned GetObject URL verifies', async (t) => {
  const { recorded, client } = await startServer(t);
  for (const key of KEYS) {
    const url = await getSignedUrl(client, new GetObjectCommand({ Bucket: 'bucket', Key: key, ResponseContentDisposition: 'attachment; filename="x y.txt"' }), { expiresIn: 60 });
    const body = await new Promise<string>((resolve, reject) => get(url, (res) => buffer(res).then((b) => resolve(b.toString()), reject)).on('error', reject));
    t.equal(body, 'object body');
    const result = await verifyRecorded(recorded.at(-1)!);
    t.match(result.verified, { presigned: true, payload: { kind: 'unsigned' } }, key);
  }
});
