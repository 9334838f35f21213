// Reads of the latest state stay exact with the embedded catalog's in-memory cache of
// repositories, entries and listing pages: a write acknowledged by one gateway is read at once, by it and by
// another gateway on the same catalog (on PostgreSQL only listing pages are cached, keyed by the
// head each request reads, and carried over commits that leave them as they were; on PGlite
// both gateways hear the same commit notifications).
import {
  CreateBucketCommand, DeleteBucketCommand, ListObjectsV2Command, DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client,
} from '@aws-sdk/client-s3';
import t, { type Test } from 'tap';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { HeadCache } from '../../src/core/head-cache.js';
import { forEachCatalog } from '../helpers/catalog.js';
import { repositories, type Db } from '../../src/catalog/index.js';
import { commitChanges, newRepository } from '../catalog/fixtures.js';

async function client(t: Test, test: TestApp): Promise<S3Client> {
  await test.app.listen({ host: '127.0.0.1', port: 0 });
  const port = (test.app.server.address() as { port: number }).port;
  const s3 = new S3Client({
    endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', forcePathStyle: true, maxAttempts: 1,
    credentials: { accessKeyId: test.admin.accessKeyId, secretAccessKey: test.admin.secret },
  });
  t.teardown(() => s3.destroy());
  return s3;
}

/** Two gateways on one catalog (and one blob store), and a new bucket made through the first. */
async function twoGateways(t: Test, db: Db, prefix: string): Promise<{ a: S3Client; b: S3Client; bucket: string }> {
  const first = await buildTestApp(t, db);
  const a = await client(t, first);
  const b = await client(t, await buildTestApp(t, db, { shareBlobsWith: first }));
  const bucket = `${prefix}-${Date.now().toString(36)}`;
  await a.send(new CreateBucketCommand({ Bucket: bucket }));
  return { a, b, bucket };
}

const text = async (s3: S3Client, Bucket: string, Key: string) =>
  (await s3.send(new GetObjectCommand({ Bucket, Key }))).Body!.transformToString();

forEachCatalog(t, 'a write through one gateway is read at once through it and through another', async (t, db) => {
  const { a, b, bucket } = await twoGateways(t, db, 'hc');
  await a.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: 'v0' }));
  t.equal(await text(b, bucket, 'k'), 'v0');
  await t.rejects(b.send(new HeadObjectCommand({ Bucket: bucket, Key: 'missing' })), { name: 'NotFound' }, 'a miss is remembered…');
  await a.send(new PutObjectCommand({ Bucket: bucket, Key: 'missing', Body: 'now here' }));
  t.equal(await text(b, bucket, 'missing'), 'now here', '…only until a commit');

  for (let i = 1; i <= 20; i++) {
    const [writer, reader] = i % 2 ? [a, b] : [b, a];
    await writer.send(new PutObjectCommand({ Bucket: bucket, Key: 'k', Body: `v${i}` }));
    t.equal(await text(reader, bucket, 'k'), `v${i}`, `version ${i} read at once by the other gateway`);
    t.equal(await text(writer, bucket, 'k'), `v${i}`, `and by the one that wrote it`);
  }
  await b.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'k' }));
  await t.rejects(a.send(new HeadObjectCommand({ Bucket: bucket, Key: 'k' })), { name: 'NotFound' }, 'a delete is seen at once');
  await a.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'missing' }));
  await b.send(new DeleteBucketCommand({ Bucket: bucket }));
  await t.rejects(a.send(new GetObjectCommand({ Bucket: bucket, Key: 'k' })), { name: 'NoSuchBucket' }, 'a deleted bucket is gone at once');
});

forEachCatalog(t, 'reads racing writes never go back in time', async (t, db) => {
  const { a, b, bucket } = await twoGateways(t, db, 'race');
  await a.send(new PutObjectCommand({ Bucket: bucket, Key: 'n', Body: '0' }));
  let acknowledged = 0;
  let stale = 0;
  const writer = (async () => {
    for (let i = 1; i <= 40; i++) {
      await a.send(new PutObjectCommand({ Bucket: bucket, Key: 'n', Body: String(i) }));
      acknowledged = i;
    }
  })();
  const readers = Array.from({ length: 4 }, async () => {
    while (acknowledged < 40) {
      const floor = acknowledged;
      const seen = Number(await text(b, bucket, 'n'));
      if (seen < floor) stale++;
    }
  });
  await Promise.all([writer, ...readers]);
  t.equal(stale, 0, 'no read returned a version older than one acknowledged before it began');
});

forEachCatalog(t, 'a listing walked again sees every write acknowledged before it', async (t, db) => {
  const { a, b, bucket } = await twoGateways(t, db, 'lc');
  const model = new Set<string>();
  const walk = async (s3: S3Client, Delimiter?: string) => {
    const seen: string[] = [];
    let ContinuationToken: string | undefined;
    do {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 3, ContinuationToken, Delimiter }));
      seen.push(...(page.Contents ?? []).map((c) => `${c.Key}:${c.Size}`), ...(page.CommonPrefixes ?? []).map((p) => p.Prefix!));
      ContinuationToken = page.NextContinuationToken;
    } while (ContinuationToken);
    return seen;
  };
  const expected = (delimiter?: string) => [...new Set([...model].map((entry) => {
    const slash = delimiter ? entry.indexOf('/') : -1;
    return slash >= 0 ? entry.slice(0, slash + 1) : entry;
  }))].sort();
  for (let i = 0; i < 12; i++) {
    const [writer, reader] = i % 2 ? [a, b] : [b, a];
    const key = i % 3 === 0 ? `dir/k${i % 5}` : `k${i % 5}`;
    const body = 'x'.repeat(i + 1);
    for (const entry of model) if (entry.startsWith(`${key}:`)) model.delete(entry);
    if (i % 4 === 3) await writer.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    else {
      await writer.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
      model.add(`${key}:${body.length}`);
    }
    const want = [...model].sort();
    t.same((await walk(reader)).sort(), want, `after write ${i}: the other gateway's walk`);
    t.same((await walk(writer)).sort(), want, `after write ${i}: the writer's walk`);
    t.same((await walk(reader)).sort(), want, `after write ${i}: the same walk again`);
    t.same((await walk(reader, '/')).sort(), expected('/'), `after write ${i}: with a delimiter`);
  }
});

forEachCatalog(t, 'pages are kept by the head they were read at', async (t, db) => {
  const cache = await HeadCache.attach(db);
  t.teardown(() => cache.close());
  let loads = 0;
  const load = async () => ++loads;
  t.equal(await cache.page('repo', 5, 'page-1', load), 1);
  t.equal(await cache.page('repo', 5, 'page-1', load), 1, 'the same page at the same head is not read again');
  t.equal(await cache.page('repo', 5, 'page-2', load), 2, 'another page is');
  t.equal(await cache.page('repo', 6, 'page-1', load), 3, 'at a new head the page is read again');
});

forEachCatalog(t, 'a page is carried to a new head when the changes in between leave it as it was', async (t, db) => {
  const cache = await HeadCache.attach(db);
  t.teardown(() => cache.close());
  let loads = 0;
  const load = async () => ++loads;
  const asked: Array<[number, number]> = [];
  const unchanged = async (page: number, seq: number) => (asked.push([page, seq]), true);
  const changed = async (page: number, seq: number) => (asked.push([page, seq]), false);
  t.equal(await cache.page('repo', 5, 'p', load, unchanged), 1);
  t.same(asked, [], 'nothing to carry at first');
  t.equal(await cache.page('repo', 7, 'p', load, unchanged), 1, 'carried to head 7, not read again');
  t.same(asked, [[1, 5]], 'asked about the page read at head 5');
  t.equal(await cache.page('repo', 7, 'p', load, changed), 1, 'and kept at head 7');
  t.equal(await cache.page('repo', 9, 'p', load, changed), 2, 'read again when the changes reach it');
  t.same(asked.at(-1), [1, 7], 'asked about the page carried to head 7');
  t.equal(await cache.page('repo', 8, 'p', load, unchanged), 3, 'a request at an older head reads its own page');
  t.equal(await cache.page('repo', 10, 'p', load, unchanged), 2, 'and the newest page stays the one carried on');
  t.same(asked.at(-1), [2, 9]);
});

forEachCatalog(t, "a repository's head is kept on PGlite until a commit is heard, and read each time on PostgreSQL", async (t, db) => {
  const cache = await HeadCache.attach(db);
  t.teardown(() => cache.close());
  const repo = await newRepository(db);
  let reads = 0;
  const read = async () => (reads++, (await repositories.getRepositoryById(db, repo.id)).headSeq);
  const first = await cache.headSeq(repo.id, read);
  t.equal(await cache.headSeq(repo.id, read), first);
  t.equal(reads, db.kind === 'postgres' ? 2 : 1, db.kind === 'postgres' ? 'read each time' : 'read once');
  const commit = await commitChanges(db, repo.id, { k: 'v' });
  t.equal(await cache.headSeq(repo.id, read), commit.seq, 'the commit is seen at once');
});
