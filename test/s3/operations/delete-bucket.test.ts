// DeleteBucket: an empty repository goes (BucketNotEmpty otherwise); a past commit cannot be
// deleted; a caller without the right is refused and nothing changes.
import {
  CreateMultipartUploadCommand, DeleteBucketCommand, DeleteObjectCommand, HeadBucketCommand, PutObjectCommand,
} from '@aws-sdk/client-s3';
import t from 'tap';
import { forEachBackend } from '../../helpers/catalog.js';
import { failure, memberWith, repoOf, s3Env, uniqueName } from '../../helpers/s3.js';

forEachBackend(t, 'DeleteBucket', async (t, db) => {
  const env = await s3Env(t, db);
  const { s3 } = env;

  await t.test('DeleteBucket_empty', async (t) => {
    const Bucket = await env.bucket('empty');
    const res = await s3.send(new DeleteBucketCommand({ Bucket }));
    t.equal(res.$metadata.httpStatusCode, 204);
    t.match(await failure(s3.send(new HeadBucketCommand({ Bucket }))), { status: 404 });
    t.match(await failure(s3.send(new DeleteBucketCommand({ Bucket }))), { name: 'NoSuchBucket', status: 404 });
  });

  await t.test('DeleteBucket_not_empty', async (t) => {
    const Bucket = await env.bucket('full');
    await s3.send(new PutObjectCommand({ Bucket, Key: 'dir/k', Body: 'x' }));
    t.match(await failure(s3.send(new DeleteBucketCommand({ Bucket }))), { name: 'BucketNotEmpty', status: 409 });
    t.equal((await s3.send(new HeadBucketCommand({ Bucket }))).$metadata.httpStatusCode, 200, 'the bucket is still there');
    await s3.send(new DeleteObjectCommand({ Bucket, Key: 'dir/k' }));
    t.equal((await s3.send(new DeleteBucketCommand({ Bucket }))).$metadata.httpStatusCode, 204, 'once emptied it goes');
  });

  await t.test('DeleteBucket_open_multipart_upload_does_not_block', async (t) => {
    const Bucket = await env.bucket('mpu');
    await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'pending' }));
    t.equal((await s3.send(new DeleteBucketCommand({ Bucket }))).$metadata.httpStatusCode, 204);
  });

  await t.test('DeleteBucket_past_commit_refused', async (t) => {
    const Bucket = await env.bucket('past');
    const repo = await repoOf(env, Bucket);
    t.match(await failure(s3.send(new DeleteBucketCommand({ Bucket: `${Bucket}.${repo.headCommitId.slice(0, 8)}` }))), { name: 'AccessDenied', status: 403 });
    t.equal((await s3.send(new HeadBucketCommand({ Bucket }))).$metadata.httpStatusCode, 200);
  });

  await t.test('DeleteBucket_without_permission', async (t) => {
    const Bucket = await env.bucket('kept');
    const writer = env.client(await memberWith(env, uniqueName('writer'), 'GetRepository()\nPutObject()\nCommitSession()\n'));
    t.match(await failure(writer.send(new DeleteBucketCommand({ Bucket }))), { name: 'AccessDenied', status: 403 });
    t.equal((await s3.send(new HeadBucketCommand({ Bucket }))).$metadata.httpStatusCode, 200);
  });
});
