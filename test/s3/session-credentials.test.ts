// Session credentials: an unchanged S3 tool writes into a session; nothing is visible until
// the session commits as one commit; the credentials die with the session. Time travel reads
// a past commit and refuses writes.
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import t from 'tap';
import { forEachBackend } from '../helpers/catalog.js';
import { buildTestApp } from '../helpers/app.js';

const errorName = (p: Promise<unknown>) => p.then(() => 'no error', (e: S3ServiceException) => e.name);

forEachBackend(t, 'writes through session credentials land as one commit', async (t, db) => {
  const { app, admin, auth } = await buildTestApp(t, db);
  const endpoint = await app.listen({ host: '127.0.0.1', port: 0 });
  const client = (accessKeyId: string, secretAccessKey: string) =>
    new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId, secretAccessKey } });
  const plain = client(admin.accessKeyId, admin.secret);
  const Bucket = `sess-${Date.now().toString(36)}`;
  const R = `/api/v1/organizations/default/repositories/${Bucket}`;
  await app.inject({ method: 'POST', url: '/api/v1/organizations/default/repositories', headers: auth, payload: { name: Bucket } });
  const first = await plain.send(new PutObjectCommand({ Bucket, Key: 'base.txt', Body: 'v1' }));

  const sid = (await app.inject({ method: 'POST', url: `${R}/sessions`, headers: auth })).json().session_id;
  const creds = (await app.inject({ method: 'POST', url: `${R}/sessions/${sid}/s3-credentials`, headers: auth })).json();
  const scoped = client(creds.access_key_id, creds.secret_access_key);
  for (const Key of ['_temporary/0/part-0', 'out/part-0', 'out/part-1', 'out/_SUCCESS']) await scoped.send(new PutObjectCommand({ Bucket, Key, Body: Key }));

  const inSession = await scoped.send(new ListObjectsV2Command({ Bucket, Prefix: 'out/' }));
  t.equal(inSession.KeyCount, 3, 'the session sees its own writes');
  t.equal((await plain.send(new ListObjectsV2Command({ Bucket, Prefix: 'out/' }))).KeyCount, 0, 'nobody else does yet');
  const logBefore = (await app.inject({ method: 'GET', url: `${R}/log`, headers: auth })).json().results.length;

  const commit = await app.inject({ method: 'POST', url: `${R}/sessions/${sid}`, headers: auth, payload: { message: 'job output' } });
  t.equal(commit.statusCode, 200);
  const log = (await app.inject({ method: 'GET', url: `${R}/log`, headers: auth })).json().results;
  t.equal(log.length, logBefore + 1, 'four writes, one commit');
  t.equal((await plain.send(new ListObjectsV2Command({ Bucket, Prefix: 'out/' }))).KeyCount, 3, 'all visible at once');
  t.equal(await errorName(scoped.send(new ListObjectsV2Command({ Bucket }))), 'InvalidAccessKeyId', 'the credentials died with the session');

  const past = `${Bucket}.${log[log.length - 2].id.slice(0, 12)}`;
  await plain.send(new PutObjectCommand({ Bucket, Key: 'base.txt', Body: 'v2' }));
  const old = await plain.send(new GetObjectCommand({ Bucket: past, Key: 'base.txt' }));
  t.equal(await old.Body!.transformToString(), 'v1', 'time travel reads the past commit');
  t.equal(first.VersionId, 'v1');
  t.equal(await errorName(plain.send(new PutObjectCommand({ Bucket: past, Key: 'x', Body: 'x' }))), 'AccessDenied', 'and is read-only');
  const byVersion = await plain.send(new GetObjectCommand({ Bucket, Key: 'base.txt', VersionId: first.VersionId }));
  t.equal(await byVersion.Body!.transformToString(), 'v1', 'GET with versionId reads that version');
  plain.destroy();
  scoped.destroy();
});
