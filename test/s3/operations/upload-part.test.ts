// UploadPart (part numbers 1–10,000, a part uploaded again replaces the first, NoSuchUpload) and
// UploadPartCopy (whole objects and byte ranges, range checks, copy-source conditionals).
import {
  CompleteMultipartUploadCommand, CreateMultipartUploadCommand, GetObjectCommand, ListPartsCommand, PutObjectCommand,
  UploadPartCommand, UploadPartCopyCommand,
} from '@aws-sdk/client-s3';
import t from 'tap';
import { forEachBackend } from '../../helpers/catalog.js';
import { failure, objectPath, rawRequest, s3Env, xmlValues } from '../../helpers/s3.js';

const MiB = 1024 * 1024;

forEachBackend(t, 'UploadPart and UploadPartCopy', async (t, db) => {
  const env = await s3Env(t, db);
  const { s3 } = env;
  const Bucket = await env.bucket('mpp');
  const source = Buffer.alloc(6 * MiB);
  for (let i = 0; i < source.length; i += 4) source.writeUInt32BE(i, i);
  await s3.send(new PutObjectCommand({ Bucket, Key: 'source.bin', Body: source }));
  const create = async (Key: string) => (await s3.send(new CreateMultipartUploadCommand({ Bucket, Key }))).UploadId!;

  await t.test('UploadPart_part_numbers_1_to_10000', async (t) => {
    const Key = 'parts';
    const UploadId = await create(Key);
    for (const partNumber of ['0', '10001', '-1', 'x']) {
      const res = await rawRequest(env, { method: 'PUT', path: objectPath(Bucket, Key), query: { partNumber, uploadId: UploadId }, body: 'x' });
      t.equal(res.status, 400, `part ${partNumber}`);
      t.same(xmlValues(res.body, 'Code'), ['InvalidArgument']);
    }
    for (const PartNumber of [1, 10_000]) await s3.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber, Body: `part ${PartNumber}` }));
    t.same((await s3.send(new ListPartsCommand({ Bucket, Key, UploadId }))).Parts?.map((p) => p.PartNumber), [1, 10_000]);
  });

  await t.test('UploadPart_again_replaces', async (t) => {
    const Key = 'again';
    const UploadId = await create(Key);
    await s3.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: 1, Body: 'first' }));
    const second = await s3.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: 1, Body: 'second!' }));
    const parts = (await s3.send(new ListPartsCommand({ Bucket, Key, UploadId }))).Parts ?? [];
    t.same(parts.map((p) => [p.PartNumber, p.ETag, p.Size]), [[1, second.ETag, 7]]);
    await s3.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: second.ETag }] } }));
    t.equal(await (await s3.send(new GetObjectCommand({ Bucket, Key }))).Body!.transformToString(), 'second!');
  });

  await t.test('UploadPart_no_such_upload', async (t) => {
    const UploadId = await create('mine');
    t.match(await failure(s3.send(new UploadPartCommand({ Bucket, Key: 'mine', UploadId: 'bogus', PartNumber: 1, Body: 'x' }))), { name: 'NoSuchUpload', status: 404 });
    t.match(await failure(s3.send(new UploadPartCommand({ Bucket, Key: 'not-mine', UploadId, PartNumber: 1, Body: 'x' }))), { name: 'NoSuchUpload', status: 404 },
      'an upload id belongs to its key');
  });

  await t.test('UploadPartCopy_ranges', async (t) => {
    const Key = 'assembled';
    const UploadId = await create(Key);
    const CopySource = `${Bucket}/source.bin`;
    const p1 = await s3.send(new UploadPartCopyCommand({ Bucket, Key, UploadId, PartNumber: 1, CopySource, CopySourceRange: `bytes=0-${5 * MiB - 1}` }));
    const p2 = await s3.send(new UploadPartCopyCommand({ Bucket, Key, UploadId, PartNumber: 2, CopySource }));
    const p3 = await s3.send(new UploadPartCopyCommand({ Bucket, Key, UploadId, PartNumber: 3, CopySource, CopySourceRange: `bytes=${5 * MiB}-${5 * MiB + 9}` }));
    const sizes = (await s3.send(new ListPartsCommand({ Bucket, Key, UploadId }))).Parts?.map((p) => p.Size);
    t.same(sizes, [5 * MiB, source.length, 10]);
    await s3.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: [
      { PartNumber: 1, ETag: p1.CopyPartResult!.ETag }, { PartNumber: 2, ETag: p2.CopyPartResult!.ETag }, { PartNumber: 3, ETag: p3.CopyPartResult!.ETag },
    ] } }));
    const back = Buffer.from(await (await s3.send(new GetObjectCommand({ Bucket, Key }))).Body!.transformToByteArray());
    t.ok(back.equals(Buffer.concat([source.subarray(0, 5 * MiB), source, source.subarray(5 * MiB, 5 * MiB + 10)])), 'the parts hold exactly the ranges');
  });

  await t.test('UploadPartCopy_bad_ranges', async (t) => {
    const Key = 'bad-range';
    const UploadId = await create(Key);
    for (const CopySourceRange of [`bytes=0-${source.length}`, 'bytes=10-5', 'bytes=5-', 'bytes=-5']) {
      const err = await failure(s3.send(new UploadPartCopyCommand({ Bucket, Key, UploadId, PartNumber: 1, CopySource: `${Bucket}/source.bin`, CopySourceRange })));
      t.match(err, { name: 'InvalidArgument', status: 400 }, CopySourceRange);
    }
    t.equal((await s3.send(new ListPartsCommand({ Bucket, Key, UploadId }))).Parts?.length ?? 0, 0, 'no part recorded');
  });

  await t.test('UploadPartCopy_source_conditionals_and_errors', async (t) => {
    const Key = 'cond';
    const UploadId = await create(Key);
    const CopySource = `${Bucket}/source.bin`;
    t.match(await failure(s3.send(new UploadPartCopyCommand({ Bucket, Key, UploadId, PartNumber: 1, CopySource, CopySourceIfMatch: '"0000"' }))),
      { name: 'PreconditionFailed', status: 412 });
    t.match(await failure(s3.send(new UploadPartCopyCommand({ Bucket, Key, UploadId, PartNumber: 1, CopySource: `${Bucket}/missing` }))), { name: 'NoSuchKey', status: 404 });
    t.match(await failure(s3.send(new UploadPartCopyCommand({ Bucket, Key, UploadId: 'bogus', PartNumber: 1, CopySource }))), { name: 'NoSuchUpload', status: 404 });
    t.equal((await s3.send(new ListPartsCommand({ Bucket, Key, UploadId }))).Parts?.length ?? 0, 0);
  });
});
