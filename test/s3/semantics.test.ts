// S3 semantics through the SDK: conditional requests, bucket rules, multipart errors,
// anonymous reads of public repositories, unsupported sub-resources, awkward keys.
import {
  AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CreateBucketCommand, CreateMultipartUploadCommand, DeleteBucketCommand,
  GetBucketTaggingCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client, UploadPartCommand,
  type S3ServiceException,
} from '@aws-sdk/client-s3';
import t from 'tap';
import { forEachBackend } from '../helpers/catalog.js';
import { buildTestApp } from '../helpers/app.js';

const fail = (p: Promise<unknown>) => p.then(() => ({ name: 'no error', status: 0 }), (e: S3ServiceException) => ({ name: e.name, status: e.$metadata?.httpStatusCode }));

forEachBackend(t, 'S3 semantics', async (t, db) => {
  const { app, admin, auth } = await buildTestApp(t, db);
  const endpoint = await app.listen({ host: '127.0.0.1', port: 0 });
  const s3 = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: admin.accessKeyId, secretAccessKey: admin.secret } });
  t.teardown(() => s3.destroy());
  const Bucket = `sem-${Date.now().toString(36)}`;
  await s3.send(new CreateBucketCommand({ Bucket }));
  const put = await s3.send(new PutObjectCommand({ Bucket, Key: 'a.txt', Body: 'abc' }));

  t.equal((await fail(s3.send(new GetObjectCommand({ Bucket, Key: 'a.txt', IfNoneMatch: put.ETag })))).status, 304);
  t.match(await fail(s3.send(new GetObjectCommand({ Bucket, Key: 'a.txt', IfMatch: '"00000000000000000000000000000000"' }))), { name: 'PreconditionFailed', status: 412 });
  t.match(await fail(s3.send(new PutObjectCommand({ Bucket, Key: 'a.txt', Body: 'x', IfNoneMatch: '*' }))), { status: 412 }, 'If-None-Match: * refuses to overwrite');
  await s3.send(new PutObjectCommand({ Bucket, Key: 'b.txt', Body: 'x', IfNoneMatch: '*' }));
  t.equal((await s3.send(new HeadObjectCommand({ Bucket, Key: 'a.txt' }))).ContentLength, 3, 'the refused write changed nothing');

  t.match(await fail(s3.send(new CreateBucketCommand({ Bucket: 'Bad_Name' }))), { name: 'InvalidBucketName', status: 400 });
  t.match(await fail(s3.send(new DeleteBucketCommand({ Bucket }))), { name: 'BucketNotEmpty', status: 409 });
  t.match(await fail(s3.send(new GetBucketTaggingCommand({ Bucket }))), { name: 'NoSuchTagSet', status: 404 }, 'no repository has tags');

  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'mp.bin' }));
  const p1 = await s3.send(new UploadPartCommand({ Bucket, Key: 'mp.bin', UploadId, PartNumber: 1, Body: Buffer.alloc(1024, 1) }));
  const p2 = await s3.send(new UploadPartCommand({ Bucket, Key: 'mp.bin', UploadId, PartNumber: 2, Body: Buffer.alloc(1024, 2) }));
  const complete = (parts: Array<{ PartNumber: number; ETag?: string }>) =>
    s3.send(new CompleteMultipartUploadCommand({ Bucket, Key: 'mp.bin', UploadId, MultipartUpload: { Parts: parts } }));
  t.match(await fail(complete([{ PartNumber: 2, ETag: p2.ETag }, { PartNumber: 1, ETag: p1.ETag }])), { name: 'InvalidPartOrder' });
  t.match(await fail(complete([{ PartNumber: 1, ETag: p2.ETag }])), { name: 'InvalidPart' });
  t.match(await fail(complete([{ PartNumber: 1, ETag: p1.ETag }, { PartNumber: 2, ETag: p2.ETag }])), { name: 'EntityTooSmall' });
  await s3.send(new AbortMultipartUploadCommand({ Bucket, Key: 'mp.bin', UploadId }));
  t.match(await fail(complete([{ PartNumber: 1, ETag: p1.ETag }])), { name: 'NoSuchUpload', status: 404 });

  const odd = 'ctl\u0001\r\ttab & <x>.txt';
  await s3.send(new PutObjectCommand({ Bucket, Key: odd, Body: 'odd' }));
  const listed = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: 'ctl' }));
  t.same(listed.Contents?.map((c) => c.Key), [odd], 'control characters survive a listing (the SDK asks for encoding-type=url)');

  t.equal((await fetch(`${endpoint}/${Bucket}/a.txt`)).status, 403, 'anonymous reads of a private repository are refused');
  await app.inject({ method: 'PUT', url: `/api/v1/organizations/default/repositories/${Bucket}`, headers: auth, payload: { visibility: 'public' } });
  const anonymous = await fetch(`${endpoint}/${Bucket}/a.txt`);
  t.equal(anonymous.status, 200, 'a public repository is readable anonymously');
  t.equal(await anonymous.text(), 'abc');
  const anonymousPut = await fetch(`${endpoint}/${Bucket}/c.txt`, { method: 'PUT', body: 'x' });
  t.equal(anonymousPut.status, 403, 'but not writable');
  t.match(await anonymousPut.text(), /<Code>AccessDenied<\/Code>/);
});
