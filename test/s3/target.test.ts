// What a bucket name and credentials address: `<repo>.<commit id or ≥ 8-hex prefix>` reads that
// commit and refuses every write; session credentials read the session's view and stage every
// write (multipart and bulk deletes included) until the session commits as one commit, and stop
// working once it ends.
import {
  CompleteMultipartUploadCommand, CopyObjectCommand, CreateMultipartUploadCommand, DeleteObjectCommand, DeleteObjectsCommand, GetObjectCommand,
  HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, UploadPartCommand,
} from '@aws-sdk/client-s3';
import t from 'tap';
import { forEachBackend } from '../helpers/catalog.js';
import { failure, memberWith, repoOf, s3Env, snapshot, uniqueName } from '../helpers/s3.js';

forEachBackend(t, 'bucket names and credentials', async (t, db) => {
  const env = await s3Env(t, db);
  const { s3, app, auth } = env;

  await t.test('TimeTravel_reads_the_commit', async (t) => {
    const Bucket = await env.bucket('tt');
    await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'old' }));
    await s3.send(new PutObjectCommand({ Bucket, Key: 'only-old', Body: 'x' }));
    const past = (await repoOf(env, Bucket)).headCommitId;
    await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'new' }));
    await s3.send(new DeleteObjectCommand({ Bucket, Key: 'only-old' }));
    await s3.send(new PutObjectCommand({ Bucket, Key: 'only-new', Body: 'x' }));
    for (const ref of [past, past.slice(0, 8), past.slice(0, 13)]) {
      const at = `${Bucket}.${ref}`;
      t.equal(await (await s3.send(new GetObjectCommand({ Bucket: at, Key: 'k' }))).Body!.transformToString(), 'old', `GET at ${ref.length} digits`);
      t.equal((await s3.send(new HeadObjectCommand({ Bucket: at, Key: 'only-old' }))).ContentLength, 1);
      t.same((await s3.send(new ListObjectsV2Command({ Bucket: at }))).Contents?.map((c) => c.Key), ['k', 'only-old']);
    }
    t.match(await failure(s3.send(new GetObjectCommand({ Bucket: `${Bucket}.${past}`, Key: 'only-new' }))), { name: 'NoSuchKey', status: 404 });
    for (const ref of [past.slice(0, 7), '00000000', 'not-hex1']) {
      t.match(await failure(s3.send(new GetObjectCommand({ Bucket: `${Bucket}.${ref}`, Key: 'k' }))), { name: 'NoSuchBucket', status: 404 }, ref);
    }
  });

  await t.test('TimeTravel_refuses_every_write', async (t) => {
    const Bucket = await env.bucket('ttw');
    await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'x' }));
    const at = `${Bucket}.${(await repoOf(env, Bucket)).headCommitId.slice(0, 12)}`;
    const before = await snapshot(env, Bucket);
    const writes: Array<[string, () => Promise<unknown>]> = [
      ['PutObject', () => s3.send(new PutObjectCommand({ Bucket: at, Key: 'n', Body: 'x' }))],
      ['DeleteObject', () => s3.send(new DeleteObjectCommand({ Bucket: at, Key: 'k' }))],
      ['DeleteObjects', () => s3.send(new DeleteObjectsCommand({ Bucket: at, Delete: { Objects: [{ Key: 'k' }] } }))],
      ['CopyObject', () => s3.send(new CopyObjectCommand({ Bucket: at, Key: 'c', CopySource: `${Bucket}/k` }))],
      ['CreateMultipartUpload', () => s3.send(new CreateMultipartUploadCommand({ Bucket: at, Key: 'm' }))],
    ];
    for (const [name, send] of writes) t.match(await failure(send()), { name: 'AccessDenied', status: 403 }, name);
    t.same(await snapshot(env, Bucket), before, 'nothing changed');
  });

  await t.test('SessionCredentials_stage_everything_until_commit', async (t) => {
    const Bucket = await env.bucket('sess');
    const R = `/api/v1/organizations/default/repositories/${Bucket}`;
    await s3.send(new PutObjectCommand({ Bucket, Key: 'base', Body: 'b' }));
    await s3.send(new PutObjectCommand({ Bucket, Key: 'drop/1', Body: 'x' }));
    const sid = (await app.inject({ method: 'POST', url: `${R}/sessions`, headers: auth })).json().session_id;
    const creds = (await app.inject({ method: 'POST', url: `${R}/sessions/${sid}/s3-credentials`, headers: auth })).json();
    const scoped = env.client({ accessKeyId: creds.access_key_id, secretAccessKey: creds.secret_access_key });
    const before = await snapshot(env, Bucket);

    const Key = 'mp/in-session';
    const { UploadId } = await scoped.send(new CreateMultipartUploadCommand({ Bucket, Key }));
    const { ETag } = await scoped.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: 1, Body: 'parted' }));
    t.match(await failure(s3.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: 2, Body: 'x' }))), { name: 'NoSuchUpload' },
      "plain credentials do not reach the session's upload");
    await scoped.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag }] } }));
    await scoped.send(new CopyObjectCommand({ Bucket, Key: 'copied', CopySource: `${Bucket}/base` }));
    await scoped.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: [{ Key: 'drop/1' }] } }));
    t.same((await scoped.send(new ListObjectsV2Command({ Bucket }))).Contents?.map((c) => c.Key), ['base', 'copied', Key], 'the session sees its view');
    t.same(await snapshot(env, Bucket), before, 'nothing is committed yet');

    t.equal((await app.inject({ method: 'POST', url: `${R}/sessions/${sid}`, headers: auth, payload: { message: 'batch' } })).statusCode, 200);
    const after = await snapshot(env, Bucket);
    t.equal(after.headSeq, before.headSeq + 1, 'one commit for the whole batch');
    t.same(after.keys, ['base', 'copied', Key]);
    t.match(await failure(scoped.send(new ListObjectsV2Command({ Bucket }))), { name: 'InvalidAccessKeyId', status: 403 }, 'the credentials ended with the session');
  });

  await t.test('SessionCredentials_writes_needing_approval_wait_for_a_reviewer', async (t) => {
    const Bucket = await env.bucket('sessappr');
    const R = `/api/v1/organizations/default/repositories/${Bucket}`;
    const member = await memberWith(env, uniqueName('reviewed'), 'GetRepository()\nListObjects()\nGetObject()\nCreateSession()\nPutObject(approval=true)\nCommitSession()\n');
    const bearer = { authorization: `Bearer ${member.secretAccessKey}` };
    const sid = (await app.inject({ method: 'POST', url: `${R}/sessions`, headers: bearer })).json().session_id;
    const creds = (await app.inject({ method: 'POST', url: `${R}/sessions/${sid}/s3-credentials`, headers: bearer })).json();
    const scoped = env.client({ accessKeyId: creds.access_key_id, secretAccessKey: creds.secret_access_key });
    await scoped.send(new PutObjectCommand({ Bucket, Key: 'report.csv', Body: 'a,b' }));
    const commit = await app.inject({ method: 'POST', url: `${R}/sessions/${sid}`, headers: bearer, payload: { message: 'report' } });
    t.equal(commit.statusCode, 202, 'the S3 write marked the session for review');
    t.same((await snapshot(env, Bucket)).keys, [], 'nothing visible before approval');
    t.equal((await app.inject({ method: 'POST', url: `${R}/sessions/${sid}/approve`, headers: auth, payload: { message: 'ok' } })).statusCode, 200);
    t.same((await snapshot(env, Bucket)).keys, ['report.csv']);
  });

  await t.test('SessionCredentials_rollback_discards', async (t) => {
    const Bucket = await env.bucket('sessrb');
    const R = `/api/v1/organizations/default/repositories/${Bucket}`;
    const sid = (await app.inject({ method: 'POST', url: `${R}/sessions`, headers: auth })).json().session_id;
    const creds = (await app.inject({ method: 'POST', url: `${R}/sessions/${sid}/s3-credentials`, headers: auth })).json();
    const scoped = env.client({ accessKeyId: creds.access_key_id, secretAccessKey: creds.secret_access_key });
    await scoped.send(new PutObjectCommand({ Bucket, Key: 'tmp', Body: 'x' }));
    const other = await env.bucket('sessother');
    t.match(await failure(scoped.send(new PutObjectCommand({ Bucket: other, Key: 'k', Body: 'x' }))), { name: 'AccessDenied', status: 403 },
      'session credentials reach their own repository only');
    const before = await snapshot(env, Bucket);
    t.equal((await app.inject({ method: 'DELETE', url: `${R}/sessions/${sid}`, headers: auth })).statusCode, 204);
    t.same(await snapshot(env, Bucket), before, 'nothing landed');
    t.match(await failure(scoped.send(new GetObjectCommand({ Bucket, Key: 'tmp' }))), { name: 'InvalidAccessKeyId' });
  });
});
