// PutObject with plain credentials: one commit per write, metadata stored and returned,
// canned ACLs accepted, conditional writes, Content-MD5; a refused write stores nothing.
import { createHash } from 'node:crypto';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, type ObjectCannedACL } from '@aws-sdk/client-s3';
import t from 'tap';
import { forEachBackend } from '../../helpers/catalog.js';
import { failure, memberWith, s3Env, snapshot, uniqueName } from '../../helpers/s3.js';

const md5 = (s: string) => createHash('md5').update(s).digest('base64');

forEachBackend(t, 'PutObject', async (t, db) => {
  const env = await s3Env(t, db);
  const { s3 } = env;
  const Bucket = await env.bucket('put');

  await t.test('PutObject_one_commit_each', async (t) => {
    const before = await snapshot(env, Bucket);
    const versions: string[] = [];
    for (const Key of ['c/1', 'c/2', 'c/1']) versions.push((await s3.send(new PutObjectCommand({ Bucket, Key, Body: Key }))).VersionId!);
    const after = await snapshot(env, Bucket);
    t.equal(after.headSeq, before.headSeq + 3, 'three writes, three commits');
    t.same(versions, [1, 2, 3].map((n) => `v${before.headSeq + n}`), 'each answers the version its commit made');
  });

  await t.test('PutObject_metadata_round_trip', async (t) => {
    const Expires = new Date('2031-02-03T04:05:06Z');
    const headers = {
      ContentType: 'text/csv; charset=utf-8', ContentDisposition: 'attachment; filename="r.csv"', ContentEncoding: 'gzip',
      ContentLanguage: 'de-CH', CacheControl: 'max-age=60, private',
    };
    const Metadata = { origin: 'test', 'two-words': 'a  b' };
    await s3.send(new PutObjectCommand({ Bucket, Key: 'meta.csv', Body: 'a,b', ...headers, Expires, Metadata }));
    for (const got of [await s3.send(new HeadObjectCommand({ Bucket, Key: 'meta.csv' })), await s3.send(new GetObjectCommand({ Bucket, Key: 'meta.csv' }))]) {
      t.match(got, headers);
      t.equal(got.Expires?.toISOString(), Expires.toISOString());
      t.same(got.Metadata, Metadata);
    }
    await s3.send(new PutObjectCommand({ Bucket, Key: 'untyped', Body: 'x' }));
    t.match((await s3.send(new HeadObjectCommand({ Bucket, Key: 'untyped' }))).ContentType, /^(binary|application)\/octet-stream$/);
  });

  await t.test('PutObject_metadata_too_large', async (t) => {
    const before = await snapshot(env, Bucket);
    const err = await failure(s3.send(new PutObjectCommand({ Bucket, Key: 'big-meta', Body: 'x', Metadata: { a: 'x'.repeat(2100) } })));
    t.match(err, { name: 'MetadataTooLarge', status: 400 });
    t.same(await snapshot(env, Bucket), before, 'nothing stored');
  });

  await t.test('PutObject_canned_acl', async (t) => {
    for (const ACL of ['private', 'public-read', 'bucket-owner-full-control'] as ObjectCannedACL[]) {
      await s3.send(new PutObjectCommand({ Bucket, Key: `acl/${ACL}`, Body: 'x', ACL }));
    }
    const before = await snapshot(env, Bucket);
    t.match(await failure(s3.send(new PutObjectCommand({ Bucket, Key: 'acl/bad', Body: 'x', ACL: 'log-delivery-write' as ObjectCannedACL }))),
      { name: 'InvalidArgument', status: 400 });
    t.same(await snapshot(env, Bucket), before, 'nothing stored');
  });

  await t.test('PutObject_if_none_match_star_existing_key', async (t) => {
    await s3.send(new PutObjectCommand({ Bucket, Key: 'once', Body: 'first', IfNoneMatch: '*' }));
    const before = await snapshot(env, Bucket);
    t.match(await failure(s3.send(new PutObjectCommand({ Bucket, Key: 'once', Body: 'second', IfNoneMatch: '*' }))), { name: 'PreconditionFailed', status: 412 });
    t.same(await snapshot(env, Bucket), before, 'nothing stored');
    t.equal(await (await s3.send(new GetObjectCommand({ Bucket, Key: 'once' }))).Body!.transformToString(), 'first');
  });

  await t.test('PutObject_if_match', async (t) => {
    const { ETag } = await s3.send(new PutObjectCommand({ Bucket, Key: 'cas', Body: 'v1' }));
    const next = await s3.send(new PutObjectCommand({ Bucket, Key: 'cas', Body: 'v2', IfMatch: ETag }));
    t.ok(next.VersionId, 'the matching ETag lets the write through');
    const before = await snapshot(env, Bucket);
    t.match(await failure(s3.send(new PutObjectCommand({ Bucket, Key: 'cas', Body: 'v3', IfMatch: ETag }))), { name: 'PreconditionFailed', status: 412 });
    t.match(await failure(s3.send(new PutObjectCommand({ Bucket, Key: 'never-was', Body: 'x', IfMatch: ETag }))), { name: 'NoSuchKey', status: 404 }, 'If-Match on a missing key is NoSuchKey, as S3 answers');
    t.same(await snapshot(env, Bucket), before, 'nothing stored');
    t.equal(await (await s3.send(new GetObjectCommand({ Bucket, Key: 'cas' }))).Body!.transformToString(), 'v2');
  });

  await t.test('PutObject_if_none_match_etag_not_implemented', async (t) => {
    const before = await snapshot(env, Bucket);
    t.match(await failure(s3.send(new PutObjectCommand({ Bucket, Key: 'inm', Body: 'x', IfNoneMatch: '"abc"' }))), { name: 'NotImplemented', status: 501 });
    t.same(await snapshot(env, Bucket), before);
  });

  await t.test('PutObject_content_md5', async (t) => {
    const put = await s3.send(new PutObjectCommand({ Bucket, Key: 'md5', Body: 'hello', ContentMD5: md5('hello') }));
    t.equal(put.ETag, `"${createHash('md5').update('hello').digest('hex')}"`);
    const before = await snapshot(env, Bucket);
    t.match(await failure(s3.send(new PutObjectCommand({ Bucket, Key: 'md5-bad', Body: 'hello', ContentMD5: md5('other') }))), { name: 'BadDigest', status: 400 });
    t.match(await failure(s3.send(new PutObjectCommand({ Bucket, Key: 'md5-bad', Body: 'hello', ContentMD5: 'AAAA' }))), { name: 'InvalidDigest', status: 400 });
    t.same(await snapshot(env, Bucket), before, 'nothing stored');
  });

  await t.test('PutObject_principal_needing_approval_is_pointed_to_sessions', async (t) => {
    const agentLike = env.client(await memberWith(env, uniqueName('reviewed'), 'GetRepository()\nGetObject()\nPutObject(approval=true)\nCommitSession()\nCreateSession()\n'));
    const before = await snapshot(env, Bucket);
    const err = await failure(agentLike.send(new PutObjectCommand({ Bucket, Key: 'reviewed', Body: 'x' })));
    t.match(err, { name: 'AccessDenied', status: 403, message: /open a session/ });
    t.same(await snapshot(env, Bucket), before, 'nothing stored');
  });

  await t.test('PutObject_principal_without_commit_right_is_refused', async (t) => {
    const stager = env.client(await memberWith(env, uniqueName('stager'), 'GetRepository()\nGetObject()\nPutObject()\nCreateSession()\n'));
    const before = await snapshot(env, Bucket);
    const err = await failure(stager.send(new PutObjectCommand({ Bucket, Key: 'staged-only', Body: 'x' })));
    t.match(err, { name: 'AccessDenied', status: 403, message: /open a session/ });
    t.same(await snapshot(env, Bucket), before, 'nothing stored');
  });

  await t.test('PutObject_no_such_bucket', async (t) => {
    t.match(await failure(s3.send(new PutObjectCommand({ Bucket: uniqueName('none'), Key: 'k', Body: 'x' }))), { name: 'NoSuchBucket', status: 404 });
  });
});
