import { CreateMultipartUploadCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { createHash, randomBytes } from 'node:crypto';
import t from 'tap';
import { blobStoreContract } from '../../src/blobstore/blob-store.contract.js';
import { patternBytes, patternStream } from '../../src/blobstore/blob-store.contract-data.js';
import { multipartEtag } from '../../src/blobstore/checksums.js';
import { S3BlobStore } from '../../src/blobstore/s3-store.js';
import { peakLiveGrowth } from './memory.js';
import { startS3Server, type S3TestServer } from '../helpers/s3-server.js';

const BUCKET = 'trove-blobs';
const MIB = 1024 * 1024;
const server: S3TestServer = await startS3Server();
t.teardown(() => server.stop());
await server.createBucket(BUCKET);

/** A store under a fresh prefix, with 5 MiB parts so 20 MiB bodies take the multipart path. */
function openStore(prefix = `p-${randomBytes(4).toString('hex')}/nested`): S3BlobStore {
  return new S3BlobStore({
    bucket: BUCKET,
    prefix,
    endpoint: server.endpoint,
    region: server.region,
    credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
    forcePathStyle: true,
    partSize: 5 * MIB,
    queueSize: 2,
  });
}

blobStoreContract(t, async () => {
  const store = openStore();
  return { store, cleanup: () => store.close() };
});

t.test('large bodies go through multipart upload under <prefix>/<address>', async (t) => {
  const store = openStore('tenant-a');
  t.teardown(() => store.close());
  const put = await store.put(patternStream(12 * MIB));
  const head = await store.client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: `tenant-a/${put.address}` }));
  t.equal(head.ContentLength, 12 * MIB);
  t.match(head.ETag, /-3"$/, 'a 3-part multipart ETag');
  t.not(head.ETag, `"${put.md5Hex}"`, 'the md5 is computed by the store, not taken from the backend');
  const body = patternBytes(12 * MIB);
  const partMd5s = [0, 5, 10].map((mib) => createHash('md5').update(body.subarray(mib * MIB, (mib + 5) * MIB)).digest('hex'));
  t.equal(head.ETag, `"${multipartEtag(partMd5s)}"`, 'multipartEtag agrees with the server');
});

t.test('the prefix isolates stores and foreign keys are never listed', async (t) => {
  const a = openStore('shared/a');
  const b = openStore('shared/ab');
  t.teardown(() => Promise.all([a.close(), b.close()]));
  const inA = await a.put(patternStream(10));
  const inB = await b.put(patternStream(10));
  await a.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'shared/a/not-a-blob.txt', Body: 'x' }));
  const listed: string[] = [];
  for await (const blob of a.list()) listed.push(blob.address);
  t.same(listed, [inA.address]);
  t.equal(await a.stat(inB.address), null, 'a blob of another prefix is not visible');
});

t.test('gc aborts incomplete multipart uploads of blob keys', async (t) => {
  const store = openStore();
  t.teardown(() => store.close());
  const address = store.newAddress();
  const prefix = (await store.presignPut(address, 60)).match(/trove-blobs\/(.*?)\/[0-9a-f]{2}\//)?.[1] ?? '';
  await store.client.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: `${prefix}/${address}` }));
  await store.client.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: `${prefix}/not-a-blob` }));
  // moto reports every upload as initiated in 2010, so only the age cut-off in the past is testable here.
  t.equal(await store.deleteStaleTemporaries(new Date(0)), 0, 'nothing is older than the epoch');
  t.equal(await store.deleteStaleTemporaries(new Date()), 1, 'only the blob key is aborted');
  t.equal(await store.deleteStaleTemporaries(new Date()), 0);
});

t.test('memory stays bounded by the part buffers while streaming a large body', async (t) => {
  const store = openStore();
  t.teardown(() => store.close());
  const { result, growth } = await peakLiveGrowth(() => store.put(patternStream(64 * MIB, 3, MIB)));
  t.equal(result.size, 64 * MIB);
  // (queueSize + 1) × partSize = 15 MiB of part buffers, plus request and socket buffers.
  t.ok(growth < 40 * MIB, `peak live growth ${Math.round(growth / MIB)} MiB for a 64 MiB body`);
});
