// DeleteObject: one commit per delete with plain credentials; deleting a missing key is 204
// and commits nothing; with a VersionId only the latest version may be deleted (older ones and
// delete markers are immutable history: AccessDenied), as README documents.
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import t from 'tap';
import { forEachBackend } from '../../helpers/catalog.js';
import { failure, memberWith, repoOf, s3Env, snapshot, uniqueName } from '../../helpers/s3.js';

forEachBackend(t, 'DeleteObject', async (t, db) => {
  const env = await s3Env(t, db);
  const { s3 } = env;
  const Bucket = await env.bucket('del');

  await t.test('DeleteObject_one_commit', async (t) => {
    await s3.send(new PutObjectCommand({ Bucket, Key: 'a', Body: 'x' }));
    const before = await snapshot(env, Bucket);
    const res = await s3.send(new DeleteObjectCommand({ Bucket, Key: 'a' }));
    t.equal(res.$metadata.httpStatusCode, 204);
    const after = await snapshot(env, Bucket);
    t.equal(after.headSeq, before.headSeq + 1, 'one commit');
    t.notOk(after.keys.includes('a'));
    t.match(await failure(s3.send(new GetObjectCommand({ Bucket, Key: 'a' }))), { name: 'NoSuchKey', status: 404 });
  });

  await t.test('DeleteObject_missing_key_commits_nothing', async (t) => {
    const before = await snapshot(env, Bucket);
    t.equal((await s3.send(new DeleteObjectCommand({ Bucket, Key: 'never-was' }))).$metadata.httpStatusCode, 204);
    t.same(await snapshot(env, Bucket), before);
  });

  await t.test('DeleteObject_latest_version_id', async (t) => {
    await s3.send(new PutObjectCommand({ Bucket, Key: 'v', Body: '1' }));
    const { VersionId } = await s3.send(new PutObjectCommand({ Bucket, Key: 'v', Body: '2' }));
    const before = await snapshot(env, Bucket);
    t.equal((await s3.send(new DeleteObjectCommand({ Bucket, Key: 'v', VersionId }))).$metadata.httpStatusCode, 204);
    const after = await snapshot(env, Bucket);
    t.equal(after.headSeq, before.headSeq + 1, 'deleted in a new commit');
    t.notOk(after.keys.includes('v'));
  });

  await t.test('DeleteObject_older_version_id_refused', async (t) => {
    const old = await s3.send(new PutObjectCommand({ Bucket, Key: 'h', Body: '1' }));
    await s3.send(new PutObjectCommand({ Bucket, Key: 'h', Body: '2' }));
    const before = await snapshot(env, Bucket);
    t.match(await failure(s3.send(new DeleteObjectCommand({ Bucket, Key: 'h', VersionId: old.VersionId }))), { name: 'AccessDenied', status: 403, message: /history/ });
    t.same(await snapshot(env, Bucket), before, 'nothing changed');
    t.equal(await (await s3.send(new GetObjectCommand({ Bucket, Key: 'h', VersionId: old.VersionId }))).Body!.transformToString(), '1', 'the old version is still there');
  });

  await t.test('DeleteObject_delete_marker_version_id_refused', async (t) => {
    await s3.send(new PutObjectCommand({ Bucket, Key: 'm', Body: '1' }));
    await s3.send(new DeleteObjectCommand({ Bucket, Key: 'm' }));
    const marker = `d${(await repoOf(env, Bucket)).headSeq}`;
    const before = await snapshot(env, Bucket);
    t.match(await failure(s3.send(new DeleteObjectCommand({ Bucket, Key: 'm', VersionId: marker }))), { name: 'AccessDenied', status: 403 });
    t.same(await snapshot(env, Bucket), before, 'the key stays deleted');
  });

  await t.test('DeleteObject_unknown_version_id', async (t) => {
    await s3.send(new PutObjectCommand({ Bucket, Key: 'u', Body: '1' }));
    for (const VersionId of ['v999999', 'd999999', 'not-a-version']) {
      t.match(await failure(s3.send(new DeleteObjectCommand({ Bucket, Key: 'u', VersionId }))), { name: 'NoSuchVersion', status: 404 }, VersionId);
    }
    t.equal((await s3.send(new HeadObjectCommand({ Bucket, Key: 'u' }))).ContentLength, 1);
  });

  await t.test('DeleteObject_refused_without_permission_or_bucket', async (t) => {
    await s3.send(new PutObjectCommand({ Bucket, Key: 'kept', Body: 'x' }));
    const reader = env.client(await memberWith(env, uniqueName('reader'), 'GetRepository()\nGetObject()\nListObjects()\n'));
    const before = await snapshot(env, Bucket);
    t.match(await failure(reader.send(new DeleteObjectCommand({ Bucket, Key: 'kept' }))), { name: 'AccessDenied', status: 403 });
    t.same(await snapshot(env, Bucket), before);
    t.match(await failure(s3.send(new DeleteObjectCommand({ Bucket: uniqueName('none'), Key: 'k' }))), { name: 'NoSuchBucket', status: 404 });
  });
});
