// Tagging: Trove stores no tags. An object answers an empty TagSet, a bucket NoSuchTagSet; an
// empty TagSet may be put and tags deleted (the state kept); setting tags is NotImplemented;
// and a tagging request to a bucket is never mistaken for creating or deleting it.
import {
  DeleteObjectTaggingCommand, GetBucketTaggingCommand, GetObjectTaggingCommand, PutObjectCommand, PutObjectTaggingCommand,
} from '@aws-sdk/client-s3';
import t from 'tap';
import { forEachBackend } from '../../helpers/catalog.js';
import { failure, rawRequest, s3Env, snapshot } from '../../helpers/s3.js';

forEachBackend(t, 'tagging', async (t, db) => {
  const env = await s3Env(t, db);
  const { s3 } = env;
  const Bucket = await env.bucket('tags');
  await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'x' }));

  await t.test('GetObjectTagging_untagged', async (t) => {
    const res = await s3.send(new GetObjectTaggingCommand({ Bucket, Key: 'k' }));
    t.same(res.TagSet ?? [], []);
    t.match(await failure(s3.send(new GetObjectTaggingCommand({ Bucket, Key: 'missing' }))), { name: 'NoSuchKey', status: 404 });
  });

  await t.test('PutObjectTagging_empty_accepted_tags_refused', async (t) => {
    const before = await snapshot(env, Bucket);
    await s3.send(new PutObjectTaggingCommand({ Bucket, Key: 'k', Tagging: { TagSet: [] } }));
    await s3.send(new DeleteObjectTaggingCommand({ Bucket, Key: 'k' }));
    t.match(await failure(s3.send(new PutObjectTaggingCommand({ Bucket, Key: 'k', Tagging: { TagSet: [{ Key: 'a', Value: 'b' }] } }))),
      { name: 'NotImplemented', status: 501 });
    t.same(await snapshot(env, Bucket), before, 'no commit');
  });

  await t.test('GetBucketTagging_no_tag_set', async (t) => {
    t.match(await failure(s3.send(new GetBucketTaggingCommand({ Bucket }))), { name: 'NoSuchTagSet', status: 404 });
  });

  await t.test('BucketTagging_writes_are_not_bucket_writes', async (t) => {
    const fresh = `${Bucket}-new`;
    const put = await rawRequest(env, { method: 'PUT', path: `/${fresh}`, query: { tagging: '' }, body: '<Tagging><TagSet/></Tagging>' });
    t.equal(put.status, 501, 'PUT /bucket?tagging is NotImplemented…');
    const head = await rawRequest(env, { method: 'HEAD', path: `/${fresh}` });
    t.equal(head.status, 404, '…and creates no bucket');
    const del = await rawRequest(env, { method: 'DELETE', path: `/${Bucket}`, query: { tagging: '' } });
    t.equal(del.status, 501);
    t.equal((await rawRequest(env, { method: 'HEAD', path: `/${Bucket}` })).status, 200, 'DELETE /bucket?tagging deletes nothing');
  });
});
