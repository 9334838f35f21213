// DeleteObjects: up to 1,000 keys in one commit (1,001 is MalformedXML and changes nothing),
// missing keys reported deleted, Quiet mode, and per-key errors beside the keys that went.
import { DeleteObjectsCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import t from 'tap';
import { forEachBackend } from '../../helpers/catalog.js';
import { failure, memberWith, rawRequest, s3Env, seedKeys, snapshot, uniqueName, xmlValues } from '../../helpers/s3.js';

const keysOf = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}/${String(i).padStart(4, '0')}`);

forEachBackend(t, 'DeleteObjects', async (t, db) => {
  const env = await s3Env(t, db);
  const { s3 } = env;

  await t.test('DeleteObjects_1000_keys_one_commit', async (t) => {
    const Bucket = await env.bucket('dm');
    const keys = keysOf(1000, 'k');
    await seedKeys(env, Bucket, [...keys, 'kept']);
    const before = await snapshot(env, Bucket);
    const res = await s3.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: keys.map((Key) => ({ Key })) } }));
    t.equal(res.Deleted?.length, 1000);
    t.equal(res.Errors, undefined);
    const after = await snapshot(env, Bucket);
    t.equal(after.headSeq, before.headSeq + 1, '1,000 deletes, one commit');
    t.same(after.keys, ['kept']);
  });

  await t.test('DeleteObjects_1001_keys_malformed', async (t) => {
    const Bucket = await env.bucket('dm');
    const keys = keysOf(1001, 'k');
    await seedKeys(env, Bucket, keys.slice(0, 3));
    const before = await snapshot(env, Bucket);
    t.match(await failure(s3.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: keys.map((Key) => ({ Key })) } }))), { name: 'MalformedXML', status: 400 });
    t.same(await snapshot(env, Bucket), before, 'nothing deleted');
  });

  await t.test('DeleteObjects_missing_keys_and_quiet', async (t) => {
    const Bucket = await env.bucket('dm');
    await seedKeys(env, Bucket, ['a', 'b']);
    const before = await snapshot(env, Bucket);
    const res = await s3.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: [{ Key: 'a' }, { Key: 'nope' }] } }));
    t.same(res.Deleted?.map((d) => d.Key).sort(), ['a', 'nope'], 'a missing key is reported deleted, as S3 does');
    t.equal((await snapshot(env, Bucket)).headSeq, before.headSeq + 1);
    const quiet = await s3.send(new DeleteObjectsCommand({ Bucket, Delete: { Quiet: true, Objects: [{ Key: 'b' }] } }));
    t.equal(quiet.Deleted, undefined, 'Quiet lists no successes');
    t.same((await snapshot(env, Bucket)).keys, []);
    const nothing = await snapshot(env, Bucket);
    await s3.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: [{ Key: 'gone-already' }] } }));
    t.same(await snapshot(env, Bucket), nothing, 'deleting only missing keys commits nothing');
  });

  await t.test('DeleteObjects_per_key_errors', async (t) => {
    const Bucket = await env.bucket('dm');
    const old = await s3.send(new PutObjectCommand({ Bucket, Key: 'h', Body: '1' }));
    const latest = await s3.send(new PutObjectCommand({ Bucket, Key: 'h', Body: '2' }));
    await seedKeys(env, Bucket, ['x']);
    const before = await snapshot(env, Bucket);
    const res = await s3.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: [{ Key: 'h', VersionId: old.VersionId }, { Key: 'x' }] } }));
    t.same(res.Errors?.map((e) => [e.Key, e.Code, e.VersionId]), [['h', 'AccessDenied', old.VersionId]], 'an older version is refused');
    t.same(res.Deleted?.map((d) => d.Key), ['x'], 'while the rest goes');
    t.same((await snapshot(env, Bucket)).keys, ['h']);
    t.equal((await snapshot(env, Bucket)).headSeq, before.headSeq + 1);
    const byLatest = await s3.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: [{ Key: 'h', VersionId: latest.VersionId }] } }));
    t.same(byLatest.Deleted?.map((d) => [d.Key, d.VersionId]), [['h', latest.VersionId]], 'the latest version may be named');
    t.same((await snapshot(env, Bucket)).keys, []);
  });

  await t.test('DeleteObjects_path_policy_errors_per_key', async (t) => {
    const Bucket = await env.bucket('dm');
    await seedKeys(env, Bucket, ['tmp/a', 'keep/b']);
    const cleaner = env.client(await memberWith(env, uniqueName('cleaner'), `GetRepository()\nListObjects()\nDeleteObject()\ndeny DeleteObject(path="keep/*")\nCommitSession()\n`));
    const res = await cleaner.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: [{ Key: 'tmp/a' }, { Key: 'keep/b' }] } }));
    t.same(res.Deleted?.map((d) => d.Key), ['tmp/a']);
    t.same(res.Errors?.map((e) => [e.Key, e.Code]), [['keep/b', 'AccessDenied']]);
    t.same((await snapshot(env, Bucket)).keys, ['keep/b']);
  });

  await t.test('DeleteObjects_path_scoped_grant', async (t) => {
    const Bucket = await env.bucket('dm');
    await seedKeys(env, Bucket, ['tmp/a', 'tmp/b', 'keep/c']);
    // Only paths under tmp/ may be deleted: the request as a whole is not refused for that.
    const cleaner = env.client(await memberWith(env, uniqueName('tmpcleaner'), `GetRepository()\nListObjects()\nDeleteObject(path="tmp/*")\nCommitSession()\n`));
    const res = await cleaner.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: [{ Key: 'tmp/a' }, { Key: 'tmp/b' }, { Key: 'keep/c' }] } }));
    t.same(res.Deleted?.map((d) => d.Key), ['tmp/a', 'tmp/b']);
    t.same(res.Errors?.map((e) => [e.Key, e.Code]), [['keep/c', 'AccessDenied']]);
    t.same((await snapshot(env, Bucket)).keys, ['keep/c']);
  });

  await t.test('DeleteObjects_malformed_body', async (t) => {
    const Bucket = await env.bucket('dm');
    for (const body of ['<Delete><Object><Key>a</Key></Object>', 'not xml', '<Delete></Delete>']) {
      const res = await rawRequest(env, { method: 'POST', path: `/${Bucket}`, query: { delete: '' }, body });
      t.equal(res.status, 400, body);
      t.same(xmlValues(res.body, 'Code'), ['MalformedXML']);
    }
  });

  await t.test('DeleteObjects_awkward_keys', async (t) => {
    const Bucket = await env.bucket('dm');
    const keys = ['ctl\u0001\r\n', 'amp & <lt> "q"', 'ü 日本/語', 'trailing space '];
    await seedKeys(env, Bucket, keys);
    const res = await s3.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: keys.map((Key) => ({ Key })) } }));
    t.same(res.Deleted?.map((d) => d.Key).sort(), [...keys].sort());
    t.same((await snapshot(env, Bucket)).keys, []);
  });
});
