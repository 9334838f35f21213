// The AWS SDK for JavaScript v3 (@aws-sdk/client-s3 with @aws-sdk/lib-storage and the request
// presigner) against each target, with its default settings (Buffer bodies: hex SHA-256 and a
// CRC32 header; stream bodies: aws-chunked with a trailing checksum) and with
// requestChecksumCalculation WHEN_REQUIRED (UNSIGNED-PAYLOAD). The SDK has no sync.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import { Crc32c, Crc64Nvme } from '@aws-sdk/checksums/crc';
import {
  AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CopyObjectCommand, CreateBucketCommand, CreateMultipartUploadCommand,
  DeleteBucketCommand, DeleteObjectCommand, DeleteObjectsCommand, GetObjectCommand, HeadBucketCommand, HeadObjectCommand,
  ListBucketsCommand, ListObjectsV2Command, paginateListObjectsV2, PutObjectCommand, UploadPartCommand, type ChecksumAlgorithm,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import t, { type Test } from 'tap';
import { makeBigFile, MiB, type BigFile } from './lib/fixtures.js';
import { request } from './lib/http.js';
import { errorName, errorStatus, s3Client } from './lib/js-sdk.js';
import { log } from './lib/sessions.js';
import { cells, forEachTarget, scratch, type Target } from './lib/targets.js';

const BUCKET = 'js-sdk';
const KEY = 'dir/hello world+ü~(1).txt';
const BODY = 'hello, trove\n';

async function checksumOf(algorithm: ChecksumAlgorithm, data: Buffer): Promise<string> {
  if (algorithm === 'CRC32') {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(crc32(data));
    return b.toString('base64');
  }
  if (algorithm === 'SHA1' || algorithm === 'SHA256') return createHash(algorithm === 'SHA1' ? 'sha1' : 'sha256').update(data).digest('base64');
  const sdk = algorithm === 'CRC32C' ? new Crc32c() : new Crc64Nvme();
  sdk.update(data);
  return Buffer.from(await sdk.digest()).toString('base64');
}

async function cases(t: Test, target: Target, big: BigFile): Promise<void> {
  const s3 = s3Client(target);
  const whenRequired = s3Client(target, target.admin, { requestChecksumCalculation: 'WHEN_REQUIRED' });
  t.teardown(() => { s3.destroy(); whenRequired.destroy(); });

  await t.test('CreateBucket_HeadBucket_ListBuckets', async (t) => {
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    t.equal((await s3.send(new HeadBucketCommand({ Bucket: BUCKET }))).$metadata.httpStatusCode, 200);
    t.ok((await s3.send(new ListBucketsCommand({}))).Buckets?.some((b) => b.Name === BUCKET && b.CreationDate instanceof Date));
  });

  await t.test('PutObject_buffer_stream_and_unsigned', async (t) => {
    const put = await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: KEY, Body: Buffer.from(BODY), ContentType: 'text/plain', Metadata: { owner: 'conformance' } }));
    t.equal(put.ETag, `"${createHash('md5').update(BODY).digest('hex')}"`, 'Buffer body (hex SHA-256 + CRC32 header)');
    const streamed = Buffer.alloc(3 * MiB + 5, 's');
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'streamed.bin', Body: Readable.from([streamed]), ContentLength: streamed.length }));
    const back = Buffer.from(await (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'streamed.bin' }))).Body!.transformToByteArray());
    t.ok(back.equals(streamed), 'stream body (aws-chunked, trailing CRC32) round-trips');
    await whenRequired.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'unsigned.bin', Body: Readable.from([streamed]), ContentLength: streamed.length }));
    t.equal((await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'unsigned.bin' }))).ContentLength, streamed.length, 'UNSIGNED-PAYLOAD stream');
  });

  await t.test('GetObject_HeadObject_Range', async (t) => {
    const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: KEY }));
    t.equal(await got.Body!.transformToString(), BODY);
    t.same(got.Metadata, { owner: 'conformance' });
    const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: KEY }));
    t.match(head, { ContentLength: BODY.length, ContentType: 'text/plain', ETag: got.ETag });
    const ranged = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: KEY, Range: 'bytes=7-11' }));
    t.equal(await ranged.Body!.transformToString(), 'trove');
    t.equal(ranged.ContentRange, `bytes 7-11/${BODY.length}`);
  });

  await t.test('ListObjectsV2_paginated_and_delimiter', async (t) => {
    await Promise.all([0, 1, 2, 3, 4].map((i) => s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: `list/k${i}`, Body: 'x' }))));
    const pages: string[][] = [];
    for await (const page of paginateListObjectsV2({ client: s3, pageSize: 2 }, { Bucket: BUCKET, Prefix: 'list/' })) pages.push((page.Contents ?? []).map((c) => c.Key!));
    t.same(pages, [['list/k0', 'list/k1'], ['list/k2', 'list/k3'], ['list/k4']]);
    const root = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Delimiter: '/' }));
    t.same(root.CommonPrefixes?.map((p) => p.Prefix), ['dir/', 'list/']);
    t.same(root.Contents?.map((c) => c.Key), ['streamed.bin', 'unsigned.bin']);
  });

  await t.test('ListObjectsV2_keys_with_control_characters', async (t) => {
    // Without EncodingType the gateway must write these as XML character references; with
    // EncodingType=url it percent-encodes them and the caller decodes.
    const keys = ['ctl/tab\there.txt', 'ctl/cr\rhere.txt', 'ctl/ctl\u0001here.txt', 'ctl/amp&lt<gt>quote"apos\'.txt'];
    for (const Key of keys) await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body: Key }));
    const plain = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'ctl/' }));
    t.same(plain.Contents?.map((c) => c.Key).sort(), [...keys].sort(), 'raw keys');
    const encoded = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'ctl/', EncodingType: 'url' }));
    t.same(encoded.Contents?.map((c) => decodeURIComponent(c.Key!.replace(/\+/g, ' '))).sort(), [...keys].sort(), 'EncodingType=url');
    for (const Key of keys) t.equal(await (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key }))).Body!.transformToString(), Key);
    for (const Key of keys) await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key }));
  });

  await t.test('CopyObject_metadata_replace', async (t) => {
    await s3.send(new CopyObjectCommand({ Bucket: BUCKET, Key: 'copy.txt', CopySource: `${BUCKET}/${encodeURIComponent(KEY)}`, MetadataDirective: 'REPLACE', Metadata: { copied: 'yes' } }));
    const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'copy.txt' }));
    t.same(head.Metadata, { copied: 'yes' });
    t.equal(head.ContentLength, BODY.length);
  });

  await t.test('Multipart_lib_storage_100MiB_CRC32C_round_trip', async (t) => {
    // lib-storage's defaults: 5 MiB parts, 4 at a time; a composite CRC32C of 21 parts.
    const upload = new Upload({ client: s3, params: { Bucket: BUCKET, Key: 'big.bin', Body: createReadStream(big.path), ChecksumAlgorithm: 'CRC32C' } });
    await upload.done();
    const head = await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'big.bin', ChecksumMode: 'ENABLED' }));
    t.equal(head.ContentLength, big.size);
    t.match(head.ETag, /^"[0-9a-f]{32}-21"$/);
    t.match(head.ChecksumCRC32C, /^[A-Za-z0-9+/]{6}==-21$/, 'composite CRC32C');
    const hash = createHash('sha256');
    for await (const chunk of (await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'big.bin' }))).Body as Readable) hash.update(chunk as Buffer);
    t.equal(hash.digest('hex'), big.sha256, 'the bytes round-trip (SHA-256)');
  });

  await t.test('Presigned_GET_and_PUT', async (t) => {
    const ca = target.ca ? { ca: target.ca.pem } : {};
    const put = await getSignedUrl(s3, new PutObjectCommand({ Bucket: BUCKET, Key: 'presigned.txt' }), { expiresIn: 300 });
    t.equal((await request(put, { method: 'PUT', body: 'through a presigned PUT', ...ca })).status, 200);
    const get = await getSignedUrl(s3, new GetObjectCommand({ Bucket: BUCKET, Key: 'presigned.txt' }), { expiresIn: 300 });
    const got = await request(get, ca);
    t.equal(got.status, 200);
    t.equal(got.body.toString(), 'through a presigned PUT');
  });

  await t.test('Checksums_every_algorithm_ChecksumMode', async (t) => {
    const data = Buffer.from('checksummed '.repeat(1000));
    for (const algorithm of ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'] as const) {
      const field = `Checksum${algorithm}` as const;
      const expected = await checksumOf(algorithm, data);
      for (const [how, body] of [['buffer', data], ['stream', Readable.from([data])]] as const) {
        const key = `sum/${algorithm}-${how}.bin`;
        const put = await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body, ContentLength: data.length, ChecksumAlgorithm: algorithm }));
        t.equal(put[field], expected, `PutObject ${algorithm} (${how})`);
        t.equal((await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key, ChecksumMode: 'ENABLED' })))[field], expected, `HeadObject ${algorithm} (${how})`);
      }
      const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: `sum/${algorithm}-buffer.bin`, ChecksumMode: 'ENABLED' }));
      t.ok(Buffer.from(await got.Body!.transformToByteArray()).equals(data), `GetObject ${algorithm}: the SDK validated the body against it`);
      t.equal(got[field], expected);
    }
    t.equal(await errorName(s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'sum/wrong.bin', Body: data, ChecksumCRC32C: 'AAAAAA==' }))), 'BadDigest');
    t.equal(await errorName(s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'sum/wrong.bin' }))), 'NotFound', 'nothing stored');
  });

  await t.test('Errors', async (t) => {
    const etag = (await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: KEY }))).ETag!;
    const commit = (await log(target, BUCKET))[0]!.id.slice(0, 12);
    const wrongSecret = s3Client(target, { ...target.admin, secret: `${target.admin.secret}x` });
    const unknownKey = s3Client(target, { accessKeyId: 'TKNOSUCHKEY000000000', secret: 'x' });
    t.teardown(() => { wrongSecret.destroy(); unknownKey.destroy(); });
    const expect: Array<[string, () => Promise<unknown>]> = [
      ['NoSuchKey', () => s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'no/such/key' }))],
      ['NotFound', () => s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'no/such/key' }))],
      ['NoSuchBucket', () => s3.send(new GetObjectCommand({ Bucket: 'no-such-bucket', Key: 'x' }))],
      ['BucketNotEmpty', () => s3.send(new DeleteBucketCommand({ Bucket: BUCKET }))],
      ['InvalidRange', () => s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: KEY, Range: 'bytes=1000-2000' }))],
      ['PreconditionFailed', () => s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: KEY, IfMatch: '"0000"' }))],
      ['PreconditionFailed', () => s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: KEY, Body: 'x', IfNoneMatch: '*' }))],
      ['NoSuchUpload', () => s3.send(new AbortMultipartUploadCommand({ Bucket: BUCKET, Key: 'x', UploadId: 'no-such-upload' }))],
      ['AccessDenied', () => s3.send(new PutObjectCommand({ Bucket: `${BUCKET}.${commit}`, Key: 'x.txt', Body: 'x' }))],
      ['InvalidBucketName', () => s3.send(new CreateBucketCommand({ Bucket: 'ab' }))],
      ['SignatureDoesNotMatch', () => wrongSecret.send(new GetObjectCommand({ Bucket: BUCKET, Key: KEY }))],
      ['InvalidAccessKeyId', () => unknownKey.send(new GetObjectCommand({ Bucket: BUCKET, Key: KEY }))],
    ];
    for (const [name, send] of expect) t.equal(await errorName(send()), name, name);
    // A 304 has no body, so the SDK names it 'Unknown': its status is what it surfaces.
    t.equal(await errorStatus(s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: KEY, IfNoneMatch: etag }))), 304, 'If-None-Match: 304');
  });

  await t.test('Multipart_EntityTooSmall', async (t) => {
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: 'small-parts.bin' }));
    const parts = [];
    for (const PartNumber of [1, 2]) {
      const { ETag } = await s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: 'small-parts.bin', UploadId, PartNumber, Body: Buffer.alloc(1024, PartNumber) }));
      parts.push({ ETag, PartNumber });
    }
    t.equal(await errorName(s3.send(new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: 'small-parts.bin', UploadId, MultipartUpload: { Parts: parts } }))), 'EntityTooSmall');
    await s3.send(new AbortMultipartUploadCommand({ Bucket: BUCKET, Key: 'small-parts.bin', UploadId }));
  });

  await t.test('DeleteObject_DeleteObjects_DeleteBucket', async (t) => {
    await s3.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: KEY }));
    t.equal(await errorName(s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: KEY }))), 'NotFound');
    const keys: string[] = [];
    for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: BUCKET })) keys.push(...(page.Contents ?? []).map((c) => c.Key!));
    const before = (await log(target, BUCKET)).length;
    const res = await s3.send(new DeleteObjectsCommand({ Bucket: BUCKET, Delete: { Objects: keys.map((Key) => ({ Key })) } }));
    t.equal(res.Deleted?.length, keys.length);
    t.equal((await log(target, BUCKET)).length, before + 1, `DeleteObjects of ${keys.length} keys is one commit`);
    await s3.send(new DeleteBucketCommand({ Bucket: BUCKET }));
    t.equal(await errorName(s3.send(new HeadBucketCommand({ Bucket: BUCKET }))), 'NotFound');
  });
}

t.test('AWS SDK for JavaScript v3', async (t) => {
  const root = await scratch(t);
  const big = await makeBigFile(root);
  await forEachTarget(t, root, cells('A'), (t, target) => cases(t, target, big));
});
