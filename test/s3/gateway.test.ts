// The S3 gateway through the AWS SDK for JavaScript v3 on a real loopback listener: every
// request below is signed by the SDK's own signer and verified by ours.
import { Readable } from 'node:stream';
import {
  CopyObjectCommand, CreateBucketCommand, DeleteObjectCommand, DeleteObjectsCommand, GetObjectCommand, HeadObjectCommand,
  ListBucketsCommand, ListObjectsV2Command, ListObjectVersionsCommand, PutObjectCommand, S3Client, S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import t from 'tap';
import { forEachBackend } from '../helpers/catalog.js';
import { buildTestApp } from '../helpers/app.js';

async function errorOf(p: Promise<unknown>): Promise<S3ServiceException> {
  try {
    await p;
  } catch (err) {
    return err as S3ServiceException;
  }
  throw new Error('expected an error');
}

forEachBackend(t, 'the AWS SDK v3 reads and writes through the gateway', async (t, db) => {
  const { app, admin } = await buildTestApp(t, db);
  const endpoint = await app.listen({ host: '127.0.0.1', port: 0 });
  const client = (secret = admin.secret, accessKeyId = admin.accessKeyId) => new S3Client({
    endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId, secretAccessKey: secret },
  });
  const s3 = client();
  t.teardown(() => s3.destroy());
  const Bucket = `sdk-${Date.now().toString(36)}`;

  await s3.send(new CreateBucketCommand({ Bucket }));
  const buckets = await s3.send(new ListBucketsCommand({}));
  t.ok(buckets.Buckets?.some((b) => b.Name === Bucket), 'ListBuckets shows the new bucket');
  t.equal((await errorOf(s3.send(new CreateBucketCommand({ Bucket })))).name, 'BucketAlreadyOwnedByYou');

  const keys = ['plain.txt', 'dir/a b.txt', 'dir/c+d.txt', 'dir/sub/ü~*\'().txt', 'other/x'];
  for (const Key of keys) {
    const put = await s3.send(new PutObjectCommand({ Bucket, Key, Body: `body of ${Key}`, ContentType: 'text/plain', Metadata: { origin: 'test' } }));
    t.match(put.ETag, /^"[0-9a-f]{32}"$/);
  }
  const streamed = await s3.send(new PutObjectCommand({
    Bucket, Key: 'streamed.bin', Body: Readable.from([Buffer.alloc(100_000, 1), Buffer.alloc(50_000, 2)]), ContentLength: 150_000,
  }));
  t.ok(streamed.ETag, 'a stream body (aws-chunked with a CRC32 trailer) is accepted');

  const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'dir/sub/ü~*\'().txt' }));
  t.equal(await got.Body!.transformToString(), "body of dir/sub/ü~*'().txt");
  t.equal(got.ContentType, 'text/plain');
  t.same(got.Metadata, { origin: 'test' });
  const ranged = await s3.send(new GetObjectCommand({ Bucket, Key: 'streamed.bin', Range: 'bytes=99998-100001' }));
  t.same([...Buffer.from(await ranged.Body!.transformToByteArray())], [1, 1, 2, 2]);
  const head = await s3.send(new HeadObjectCommand({ Bucket, Key: 'streamed.bin', ChecksumMode: 'ENABLED' }));
  t.equal(head.ContentLength, 150_000);
  t.ok(head.ChecksumCRC32, 'the CRC32 the SDK sent is stored and returned');

  const listed = await s3.send(new ListObjectsV2Command({ Bucket, Delimiter: '/', MaxKeys: 2 }));
  t.same(listed.CommonPrefixes?.map((p) => p.Prefix), ['dir/', 'other/']);
  t.equal(listed.IsTruncated, true);
  const rest = await s3.send(new ListObjectsV2Command({ Bucket, Delimiter: '/', ContinuationToken: listed.NextContinuationToken }));
  t.same(rest.Contents?.map((c) => c.Key), ['plain.txt', 'streamed.bin']);
  const under = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: 'dir/' }));
  t.same(under.Contents?.map((c) => c.Key), ['dir/a b.txt', 'dir/c+d.txt', 'dir/sub/ü~*\'().txt']);

  await s3.send(new CopyObjectCommand({ Bucket, Key: 'copy.txt', CopySource: `${Bucket}/${encodeURIComponent('dir/a b.txt')}` }));
  t.equal(await (await s3.send(new GetObjectCommand({ Bucket, Key: 'copy.txt' }))).Body!.transformToString(), 'body of dir/a b.txt');

  const big = Buffer.alloc(12 * 1024 * 1024, 7);
  big.write('start', 0);
  big.write('end', big.length - 3);
  const upload = new Upload({ client: s3, params: { Bucket, Key: 'big.bin', Body: Readable.from([big]) }, partSize: 5 * 1024 * 1024, queueSize: 2 });
  const done = await upload.done();
  t.match(done.ETag, /-3"$/, 'a three-part multipart upload');
  const bigBack = Buffer.from(await (await s3.send(new GetObjectCommand({ Bucket, Key: 'big.bin' }))).Body!.transformToByteArray());
  t.ok(bigBack.equals(big), 'the assembled object reads back byte for byte');

  const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket, Key: 'plain.txt' }), { expiresIn: 60 });
  const presigned = await fetch(url);
  t.equal(presigned.status, 200);
  t.equal(await presigned.text(), 'body of plain.txt');

  await s3.send(new DeleteObjectCommand({ Bucket, Key: 'plain.txt' }));
  t.equal((await errorOf(s3.send(new GetObjectCommand({ Bucket, Key: 'plain.txt' })))).name, 'NoSuchKey');
  const many = await s3.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: [{ Key: 'other/x' }, { Key: 'copy.txt' }] } }));
  t.equal(many.Deleted?.length, 2);
  const versions = await s3.send(new ListObjectVersionsCommand({ Bucket, Prefix: 'plain' }));
  t.equal(versions.Versions?.length, 1);
  t.equal(versions.DeleteMarkers?.length, 1, 'the delete shows as a delete marker');

  t.equal((await errorOf(client('wrong-secret').send(new ListBucketsCommand({})))).name, 'SignatureDoesNotMatch');
  t.equal((await errorOf(client(admin.secret, 'TKNOSUCHKEY000000000').send(new ListBucketsCommand({})))).name, 'InvalidAccessKeyId');
  t.equal((await errorOf(s3.send(new GetObjectCommand({ Bucket: 'no-such-bucket', Key: 'x' })))).name, 'NoSuchBucket');
});
