// CreateMultipartUpload: uploads live in the catalog, so one survives the server being killed
// (kill -9) and restarted: its parts are listed, more can be added, and it completes with the
// metadata given at creation. Runs the real `trove serve` on each catalog backend.
import { randomBytes } from 'node:crypto';
import {
  CompleteMultipartUploadCommand, CreateBucketCommand, CreateMultipartUploadCommand, GetObjectCommand, ListMultipartUploadsCommand,
  ListPartsCommand, S3Client, UploadPartCommand, type CompletedPart,
} from '@aws-sdk/client-s3';
import pg from 'pg';
import t, { type Test } from 'tap';
import { backends } from '../../helpers/catalog.js';
import { failure } from '../../helpers/s3.js';
import { startServer, type RunningServer } from '../../helpers/server.js';

const ADMIN = { TROVE_ADMIN_ACCESS_KEY_ID: 'TKMULTIPARTRESTART01', TROVE_ADMIN_SECRET_ACCESS_KEY: 'tuk-multipart-restart-secret-0123456789abcd' };
const MiB = 1024 * 1024;

/** The server's environment on `backend`: a data directory, plus a fresh schema on PostgreSQL. */
async function serverEnv(t: Test, backend: string): Promise<Record<string, string>> {
  const env: Record<string, string> = { TROVE_DATA_DIR: t.testdir(), ...ADMIN };
  if (backend !== 'postgres') return env;
  const url = process.env.TEST_DATABASE_URL!;
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  t.teardown(async () => {
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
  });
  const scoped = new URL(url);
  scoped.searchParams.set('options', `-c search_path=${schema}`);
  return { ...env, TROVE_DATABASE_URL: scoped.toString(), TROVE_ENCRYPTION_KEY: randomBytes(32).toString('base64') };
}

function clientFor(t: Test, server: RunningServer): S3Client {
  const s3 = new S3Client({
    endpoint: server.url, region: 'us-east-1', forcePathStyle: true, maxAttempts: 1,
    credentials: { accessKeyId: ADMIN.TROVE_ADMIN_ACCESS_KEY_ID, secretAccessKey: ADMIN.TROVE_ADMIN_SECRET_ACCESS_KEY },
  });
  t.teardown(() => s3.destroy());
  return s3;
}

for (const backend of backends()) {
  t.test(`CreateMultipartUpload_durable_across_a_restart [${backend.name}]`, async (t) => {
    const env = await serverEnv(t, backend.name);
    let server = await startServer(env);
    t.teardown(() => server.child.kill('SIGKILL'));
    let s3 = clientFor(t, server);
    const Bucket = 'restart';
    const Key = 'big/object.bin';
    await s3.send(new CreateBucketCommand({ Bucket }));
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key, ContentType: 'application/x-survivor', Metadata: { kept: 'yes' } }));
    const bodies = [Buffer.alloc(5 * MiB, 1), Buffer.alloc(5 * MiB, 2), Buffer.from('three')];
    const parts: CompletedPart[] = [];
    for (const [i, Body] of bodies.slice(0, 2).entries()) {
      parts.push({ PartNumber: i + 1, ETag: (await s3.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: i + 1, Body }))).ETag });
    }

    server.child.kill('SIGKILL');
    t.equal(await server.exited, 'SIGKILL');
    server = await startServer(env);
    s3 = clientFor(t, server);

    const listed = await s3.send(new ListMultipartUploadsCommand({ Bucket }));
    t.same(listed.Uploads?.map((u) => [u.Key, u.UploadId]), [[Key, UploadId]], 'the upload is still open');
    t.same((await s3.send(new ListPartsCommand({ Bucket, Key, UploadId }))).Parts?.map((p) => [p.PartNumber, p.ETag]), parts.map((p) => [p.PartNumber, p.ETag]));
    parts.push({ PartNumber: 3, ETag: (await s3.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: 3, Body: bodies[2] }))).ETag });
    await s3.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: parts } }));
    const got = await s3.send(new GetObjectCommand({ Bucket, Key }));
    t.match(got, { ContentType: 'application/x-survivor', Metadata: { kept: 'yes' }, ContentLength: 10 * MiB + 5 });
    t.ok(Buffer.from(await got.Body!.transformToByteArray()).equals(Buffer.concat(bodies)), 'every byte, across the restart');

    t.match(await failure(s3.send(new CreateMultipartUploadCommand({ Bucket, Key, ChecksumAlgorithm: 'MD5' as 'CRC32' }))), { name: 'InvalidRequest', status: 400 });
    server.child.kill('SIGTERM');
    await server.exited;
  });
}
