// Every payload mode of a SigV4 write, through raw requests signed by the SDK's signer against
// the gateway: hex SHA-256 (a mismatch is XAmzContentSHA256Mismatch), UNSIGNED-PAYLOAD,
// aws-chunked with chunk signatures, with trailers signed or not, Expect: 100-continue and HTTP
// chunked transfer without Content-Length. A refused body stores nothing.
import { crc32 } from 'node:zlib';
import { CreateMultipartUploadCommand, GetObjectCommand, HeadObjectCommand, ListPartsCommand } from '@aws-sdk/client-s3';
import t from 'tap';
import { forEachBackend } from '../helpers/catalog.js';
import { awsChunked, objectPath, rawRequest, s3Env, sha256Hex, snapshot, xmlValues, type RawRequest } from '../helpers/s3.js';

const crc32Base64 = (data: Buffer) => {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(crc32(data));
  return out.toString('base64');
};

const DATA = Buffer.concat([Buffer.alloc(70_000, 'a'), Buffer.alloc(30_000, 'b'), Buffer.from('end')]);
const CHUNKS = [DATA.subarray(0, 65_536), DATA.subarray(65_536)];

forEachBackend(t, 'payload modes', async (t, db) => {
  const env = await s3Env(t, db);
  const Bucket = await env.bucket('payload');
  const read = async (Key: string) => Buffer.from(await (await env.s3.send(new GetObjectCommand({ Bucket, Key }))).Body!.transformToByteArray());
  const put = (Key: string, req: Omit<RawRequest, 'path'>) => rawRequest(env, { method: 'PUT', path: objectPath(Bucket, Key), ...req });
  /** Runs a write that must fail with `code` and change nothing. */
  const refused = async (t: Tap, Key: string, req: Omit<RawRequest, 'path'>, status: number, code: string) => {
    const before = await snapshot(env, Bucket);
    const res = await put(Key, req);
    t.equal(res.status, status, res.body);
    t.same(xmlValues(res.body, 'Code'), [code]);
    t.same(await snapshot(env, Bucket), before, 'nothing stored');
    return res;
  };
  const chunkedHeaders = (extra: Record<string, string> = {}) => ({
    'content-encoding': 'aws-chunked', 'x-amz-decoded-content-length': String(DATA.length), ...extra,
  });
  type Tap = typeof t;

  await t.test('Payload_hex_sha256', async (t) => {
    const res = await put('hex', { body: DATA });
    t.equal(res.status, 200, res.body);
    t.ok((await read('hex')).equals(DATA));
  });

  await t.test('Payload_hex_sha256_mismatch', async (t) => {
    const res = await refused(t, 'hex-bad', { body: DATA, payloadHash: sha256Hex('something else') }, 400, 'XAmzContentSHA256Mismatch');
    t.same(xmlValues(res.body, 'S3ComputedContentSHA256'), [sha256Hex(DATA)]);
  });

  await t.test('Payload_hex_sha256_large_and_in_parts', async (t) => {
    // Large enough to be hashed on a worker thread, where the signed SHA-256 is checked too.
    const big = Buffer.alloc(3 * 1024 * 1024 + 5, 7);
    t.equal((await put('hex-big', { body: big })).status, 200);
    t.ok((await read('hex-big')).equals(big));
    const head = await env.s3.send(new HeadObjectCommand({ Bucket, Key: 'hex-big', ChecksumMode: 'ENABLED' }));
    t.equal(head.ChecksumSHA256, undefined, 'the SHA-256 computed to check the signature is not kept as a checksum nobody asked for');
    await refused(t, 'hex-big-bad', { body: big, payloadHash: sha256Hex('something else') }, 400, 'XAmzContentSHA256Mismatch');
    const { UploadId } = await env.s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'mp' }));
    const part = await rawRequest(env, { method: 'PUT', path: objectPath(Bucket, 'mp'), query: { partNumber: '1', uploadId: UploadId! }, body: big, payloadHash: sha256Hex('not it') });
    t.equal(part.status, 400);
    t.same(xmlValues(part.body, 'Code'), ['XAmzContentSHA256Mismatch'], 'UploadPart checks the signed SHA-256 too');
    const parts = await env.s3.send(new ListPartsCommand({ Bucket, Key: 'mp', UploadId }));
    t.equal(parts.Parts, undefined, 'and records no part');
  });

  await t.test('Payload_unsigned', async (t) => {
    const res = await put('unsigned', { body: DATA, payloadHash: 'UNSIGNED-PAYLOAD' });
    t.equal(res.status, 200, res.body);
    t.ok((await read('unsigned')).equals(DATA));
  });

  await t.test('Payload_streaming_signed_chunks', async (t) => {
    const res = await put('signed-chunks', {
      headers: chunkedHeaders({ 'content-encoding': 'aws-chunked,gzip' }),
      payloadHash: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', body: (seed) => awsChunked(CHUNKS, seed),
    });
    t.equal(res.status, 200, res.body);
    t.ok((await read('signed-chunks')).equals(DATA));
    const head = await env.s3.send(new HeadObjectCommand({ Bucket, Key: 'signed-chunks' }));
    t.equal(head.ContentEncoding, 'gzip', 'the aws-chunked transport coding is not stored');
  });

  await t.test('Payload_streaming_signed_chunk_tampered', async (t) => {
    await refused(t, 'signed-bad', {
      headers: chunkedHeaders(), payloadHash: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
      body: (seed) => {
        const body = awsChunked(CHUNKS, seed);
        body.writeUInt8(body.readUInt8(body.length - 200) ^ 1, body.length - 200); // a byte of the last data chunk
        return body;
      },
    }, 403, 'SignatureDoesNotMatch');
    await refused(t, 'signed-bad', {
      headers: chunkedHeaders(), payloadHash: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
      body: (seed) => awsChunked([CHUNKS[1]!, CHUNKS[0]!], seed).subarray(0, 1000),
    }, 400, 'IncompleteBody');
  });

  await t.test('Payload_streaming_unsigned_trailer', async (t) => {
    const headers = chunkedHeaders({ 'x-amz-trailer': 'x-amz-checksum-crc32', 'x-amz-sdk-checksum-algorithm': 'CRC32' });
    const ok = await put('trailer', { headers, payloadHash: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', body: awsChunked(CHUNKS, null, { 'x-amz-checksum-crc32': crc32Base64(DATA) }) });
    t.equal(ok.status, 200, ok.body);
    t.equal(ok.headers['x-amz-checksum-crc32'], crc32Base64(DATA));
    t.ok((await read('trailer')).equals(DATA));
    await refused(t, 'trailer-bad', {
      headers, payloadHash: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', body: awsChunked(CHUNKS, null, { 'x-amz-checksum-crc32': crc32Base64(Buffer.from('x')) }),
    }, 400, 'BadDigest');
  });

  await t.test('Payload_streaming_signed_trailer', async (t) => {
    const headers = chunkedHeaders({ 'x-amz-trailer': 'x-amz-checksum-crc32' });
    const mode = 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER';
    const ok = await put('signed-trailer', { headers, payloadHash: mode, body: (seed) => awsChunked(CHUNKS, seed, { 'x-amz-checksum-crc32': crc32Base64(DATA) }) });
    t.equal(ok.status, 200, ok.body);
    t.ok((await read('signed-trailer')).equals(DATA));
    await refused(t, 'signed-trailer-bad', {
      headers, payloadHash: mode, body: (seed) => awsChunked(CHUNKS, seed, { 'x-amz-checksum-crc32': crc32Base64(Buffer.from('x')) }),
    }, 400, 'BadDigest');
    await refused(t, 'signed-trailer-forged', {
      headers, payloadHash: mode,
      body: (seed) => {
        const honest = awsChunked(CHUNKS, seed, { 'x-amz-checksum-crc32': crc32Base64(DATA) }).toString('latin1');
        return Buffer.from(honest.replace(crc32Base64(DATA), crc32Base64(Buffer.from('x'))), 'latin1');
      },
    }, 403, 'SignatureDoesNotMatch');
  });

  await t.test('Payload_expect_100_continue', async (t) => {
    const res = await put('expect', { body: DATA, unsigned: { expect: '100-continue' } });
    t.equal(res.status, 200, res.body);
    t.ok(res.sawContinue, 'the server asked for the body with 100 Continue');
    t.ok((await read('expect')).equals(DATA));
  });

  await t.test('Payload_chunked_transfer_without_content_length', async (t) => {
    for (const payloadHash of ['UNSIGNED-PAYLOAD', sha256Hex(DATA)]) {
      const res = await put(`chunked-${payloadHash.length}`, { body: CHUNKS, payloadHash });
      t.equal(res.status, 200, res.body);
      t.ok((await read(`chunked-${payloadHash.length}`)).equals(DATA));
    }
    const aws = await put('chunked-aws', {
      headers: chunkedHeaders(), payloadHash: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
      body: [awsChunked(CHUNKS, null, {}).subarray(0, 1000), awsChunked(CHUNKS, null, {}).subarray(1000)],
    });
    t.equal(aws.status, 200, aws.body);
    await refused(t, 'chunked-bad', { body: CHUNKS, payloadHash: sha256Hex('other') }, 400, 'XAmzContentSHA256Mismatch');
  });

  await t.test('Payload_decoded_length_longer_than_body', async (t) => {
    const before = await snapshot(env, Bucket);
    const res = await put('short-decoded', {
      headers: { ...chunkedHeaders(), 'x-amz-decoded-content-length': String(DATA.length + 5) },
      payloadHash: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', body: awsChunked(CHUNKS, null, {}),
    });
    t.equal(res.status, 400, res.body);
    t.same(await snapshot(env, Bucket), before, 'nothing stored');
  });

  await t.test('Payload_unknown_mode', async (t) => {
    await refused(t, 'weird', { body: DATA, payloadHash: 'STREAMING-SOMETHING' }, 400, 'InvalidArgument');
  });
});

