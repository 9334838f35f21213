// HTTPS served natively (TROVE_TLS_CERT / TROVE_TLS_KEY): over TLS the SDK streams bodies as
// aws-chunked with trailing checksums, which must verify and store like any other write.
import { execFile } from 'node:child_process';
import { Agent } from 'node:https';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import t from 'tap';
import { startServer } from '../helpers/server.js';

const run = promisify(execFile);
const ADMIN = { TROVE_ADMIN_ACCESS_KEY_ID: 'TKHTTPSTEST000000001', TROVE_ADMIN_SECRET_ACCESS_KEY: 'tuk-https-test-secret-0123456789abcdefghijklm' };

t.test('the AWS SDK over HTTPS with a self-signed certificate', async (t) => {
  const dir = t.testdir();
  await run('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', `${dir}/key.pem`, '-out', `${dir}/cert.pem`]);
  const server = await startServer({ TROVE_DATA_DIR: `${dir}/data`, TROVE_TLS_CERT: `${dir}/cert.pem`, TROVE_TLS_KEY: `${dir}/key.pem`, ...ADMIN }, 60_000, 'https');
  t.teardown(() => server.child.kill('SIGKILL'));
  const s3 = new S3Client({
    endpoint: server.url, region: 'us-east-1', forcePathStyle: true,
    credentials: { accessKeyId: ADMIN.TROVE_ADMIN_ACCESS_KEY_ID, secretAccessKey: ADMIN.TROVE_ADMIN_SECRET_ACCESS_KEY },
    requestHandler: new NodeHttpHandler({ httpsAgent: new Agent({ rejectUnauthorized: false }) }),
  });
  t.teardown(() => s3.destroy());
  t.match(server.url, /^https:/);
  await s3.send(new CreateBucketCommand({ Bucket: 'tls' }));
  const body = Buffer.alloc(3 * 1024 * 1024 + 17, 'q');
  await s3.send(new PutObjectCommand({ Bucket: 'tls', Key: 'streamed.bin', Body: Readable.from([body]), ContentLength: body.length }));
  const head = await s3.send(new HeadObjectCommand({ Bucket: 'tls', Key: 'streamed.bin', ChecksumMode: 'ENABLED' }));
  t.equal(head.ContentLength, body.length);
  t.ok(head.ChecksumCRC32, 'the trailing CRC32 was verified and stored');
  const back = Buffer.from(await (await s3.send(new GetObjectCommand({ Bucket: 'tls', Key: 'streamed.bin' }))).Body!.transformToByteArray());
  t.ok(back.equals(body));
});
