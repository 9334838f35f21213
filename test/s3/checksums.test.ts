// Flexible checksums end to end: CRC32, CRC32C, CRC64NVME, SHA1 and SHA256 sent by the SDK as a
// header (Buffer body) or a trailer (stream body) are verified, stored and returned with
// x-amz-checksum-mode: ENABLED; a wrong one is BadDigest and stores nothing; multipart uploads
// get the composite checksum, recomputed here from the parts.
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { crc32 } from 'node:zlib';
import {
  CompleteMultipartUploadCommand, CreateMultipartUploadCommand, GetObjectCommand, HeadObjectCommand, ListPartsCommand,
  PutObjectCommand, UploadPartCommand, type ChecksumAlgorithm,
} from '@aws-sdk/client-s3';
import t from 'tap';
import { forEachBackend } from '../helpers/catalog.js';
import { awsChunked, objectPath, rawRequest, s3Env, snapshot, xmlValues } from '../helpers/s3.js';

const ALGORITHMS = [['CRC32', 4], ['CRC32C', 4], ['CRC64NVME', 8], ['SHA1', 20], ['SHA256', 32]] as const;
type Field = `Checksum${(typeof ALGORITHMS)[number][0]}`;
const field = (a: string) => `Checksum${a}` as Field;
const DATA = Buffer.from('flexible checksums, every one of them\n'.repeat(2000));

forEachBackend(t, 'flexible checksums', async (t, db) => {
  const env = await s3Env(t, db);
  const { s3 } = env;
  const Bucket = await env.bucket('sums');

  await t.test('Checksum_header_and_trailer_verified_stored_returned', async (t) => {
    for (const [algorithm] of ALGORITHMS) {
      const ChecksumAlgorithm = algorithm as ChecksumAlgorithm;
      const viaHeader = await s3.send(new PutObjectCommand({ Bucket, Key: `h/${algorithm}`, Body: DATA, ChecksumAlgorithm }));
      const sent = viaHeader[field(algorithm)];
      t.ok(sent, `${algorithm}: the SDK sent a checksum header and we answered it`);
      const viaTrailer = await s3.send(new PutObjectCommand({ Bucket, Key: `t/${algorithm}`, Body: Readable.from([DATA]), ContentLength: DATA.length, ChecksumAlgorithm }));
      t.equal(viaTrailer[field(algorithm)], sent, `${algorithm}: the trailer carried the same value`);
      for (const Key of [`h/${algorithm}`, `t/${algorithm}`]) {
        const head = await s3.send(new HeadObjectCommand({ Bucket, Key, ChecksumMode: 'ENABLED' }));
        t.equal(head[field(algorithm)], sent, `${Key}: returned by HEAD`);
        t.equal(head.ChecksumType, 'FULL_OBJECT');
        const got = await s3.send(new GetObjectCommand({ Bucket, Key, ChecksumMode: 'ENABLED' }));
        t.equal(got[field(algorithm)], sent, `${Key}: returned by GET`);
        t.ok(Buffer.from(await got.Body!.transformToByteArray()).equals(DATA), 'and the SDK validated the body against it');
      }
      const plain = await s3.send(new HeadObjectCommand({ Bucket, Key: `h/${algorithm}` }));
      t.equal(plain[field(algorithm)], undefined, 'not returned unless asked for');
    }
  });

  await t.test('Checksum_not_returned_on_a_range', async (t) => {
    const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'h/SHA256', ChecksumMode: 'ENABLED', Range: 'bytes=0-9' }));
    t.equal(got.ChecksumSHA256, undefined);
    t.equal(await got.Body!.transformToString(), DATA.subarray(0, 10).toString());
  });

  await t.test('Checksum_mismatch_header_bad_digest', async (t) => {
    for (const [algorithm, size] of ALGORITHMS) {
      const before = await snapshot(env, Bucket);
      const res = await rawRequest(env, {
        method: 'PUT', path: objectPath(Bucket, `bad/${algorithm}`), body: DATA,
        headers: { [`x-amz-checksum-${algorithm.toLowerCase()}`]: Buffer.alloc(size, 1).toString('base64') },
      });
      t.equal(res.status, 400, algorithm);
      t.same(xmlValues(res.body, 'Code'), ['BadDigest']);
      t.same(await snapshot(env, Bucket), before, 'nothing stored');
    }
  });

  await t.test('Checksum_mismatch_trailer_bad_digest', async (t) => {
    for (const [algorithm, size] of ALGORITHMS) {
      const name = `x-amz-checksum-${algorithm.toLowerCase()}`;
      const before = await snapshot(env, Bucket);
      const res = await rawRequest(env, {
        method: 'PUT', path: objectPath(Bucket, `bad-trailer/${algorithm}`), payloadHash: 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
        headers: { 'content-encoding': 'aws-chunked', 'x-amz-decoded-content-length': String(DATA.length), 'x-amz-trailer': name },
        body: awsChunked([DATA], null, { [name]: Buffer.alloc(size, 1).toString('base64') }),
      });
      t.equal(res.status, 400, algorithm);
      t.same(xmlValues(res.body, 'Code'), ['BadDigest']);
      t.same(await snapshot(env, Bucket), before, 'nothing stored');
    }
  });

  await t.test('Checksum_multipart_composite', async (t) => {
    const parts = [Buffer.alloc(5 * 1024 * 1024, 'p'), Buffer.from('the last part')];
    for (const [algorithm, hash] of [['CRC32', (b: Buffer) => crc32Raw(b)], ['SHA256', (b: Buffer) => createHash('sha256').update(b).digest()]] as const) {
      const Key = `mp/${algorithm}`;
      const ChecksumAlgorithm = algorithm as ChecksumAlgorithm;
      const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key, ChecksumAlgorithm }));
      const done: Array<Record<string, unknown>> = [];
      for (const [i, Body] of parts.entries()) {
        const part = await s3.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: i + 1, Body, ChecksumAlgorithm }));
        t.equal(part[field(algorithm)], hash(Body).toString('base64'), `part ${i + 1} checksum`);
        done.push({ PartNumber: i + 1, ETag: part.ETag, [field(algorithm)]: part[field(algorithm)] });
      }
      const listed = await s3.send(new ListPartsCommand({ Bucket, Key, UploadId }));
      t.same(listed.Parts?.map((p) => p[field(algorithm)]), done.map((p) => p[field(algorithm)]), 'ListParts shows them');
      const completed = await s3.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: done } }));
      const composite = `${hash(Buffer.concat(parts.map(hash))).toString('base64')}-${parts.length}`;
      t.equal(completed[field(algorithm)], composite, `${algorithm}: the composite of the part checksums`);
      const head = await s3.send(new HeadObjectCommand({ Bucket, Key, ChecksumMode: 'ENABLED' }));
      t.equal(head[field(algorithm)], composite);
      t.equal(head.ChecksumType, 'COMPOSITE');
    }
  });

  await t.test('Checksum_mismatch_upload_part_not_recorded', async (t) => {
    const Key = 'mp/bad-part';
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key, ChecksumAlgorithm: 'CRC32' }));
    const res = await rawRequest(env, {
      method: 'PUT', path: objectPath(Bucket, Key), query: { partNumber: '1', uploadId: UploadId! }, body: DATA,
      headers: { 'x-amz-checksum-crc32': Buffer.alloc(4, 1).toString('base64') },
    });
    t.equal(res.status, 400);
    t.same(xmlValues(res.body, 'Code'), ['BadDigest']);
    t.equal((await s3.send(new ListPartsCommand({ Bucket, Key, UploadId }))).Parts?.length ?? 0, 0, 'the part was not recorded');
  });
});

function crc32Raw(data: Buffer): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(crc32(data));
  return out;
}
