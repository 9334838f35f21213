import { mkdtemp, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { blobStoreContract } from '../../src/blobstore/blob-store.contract.js';
import { patternStream, readAll } from '../../src/blobstore/blob-store.contract-data.js';
import { collectGarbage } from '../../src/blobstore/gc.js';
import { FsBlobStore } from '../../src/blobstore/fs-store.js';
import { peakLiveGrowth } from './memory.js';

blobStoreContract(t, async () => {
  const root = await mkdtemp(join(tmpdir(), 'trove-fs-store-'));
  return { store: await FsBlobStore.open(root), cleanup: () => rm(root, { recursive: true, force: true }) };
});

t.test('layout: blobs under <root>/blobs/<address>, temporaries gone after a put', async (t) => {
  const root = t.testdir();
  const store = await FsBlobStore.open(root);
  const { address } = await store.put(patternStream(1000));
  t.equal((await stat(join(root, 'blobs', address))).size, 1000);
  t.same(await readdir(join(root, 'blobs')), [address.split('/')[0]], 'one fan-out directory, made by the put');
  t.same(await readdir(join(root, 'tmp')), []);
});

t.test('files that are not blobs are never listed (so gc cannot delete them); blobs of the two-level layout are', async (t) => {
  const legacy = 'ab/cd/abcd0000000000000000000000000001';
  const root = t.testdir({
    blobs: { 'README.txt': 'keep', ab: { 'abff.part': 'x', cd: { 'not-a-blob': 'x', 'abcd0000000000000000000000000000.part': 'x', 'abcd0000000000000000000000000001': 'old' } } },
  });
  const store = await FsBlobStore.open(root);
  const { address } = await store.put(patternStream(10));
  const listed: string[] = [];
  for await (const blob of store.list()) listed.push(blob.address);
  t.same(listed.sort(), [address, legacy].sort());
  t.equal((await readAll(await store.get(legacy))).toString(), 'old', 'a two-level blob reads');
  await store.delete(legacy);
  t.equal(await store.stat(legacy), null, 'and deletes');
});

t.test('gc removes temporary files older than the grace period, keeps young ones', async (t) => {
  const root = t.testdir();
  const store = await FsBlobStore.open(root);
  await writeFile(join(root, 'tmp', 'old.part'), 'partial');
  await writeFile(join(root, 'tmp', 'young.part'), 'partial');
  const twoHoursAgo = new Date(Date.now() - 7_200_000);
  await utimes(join(root, 'tmp', 'old.part'), twoHoursAgo, twoHoursAgo);
  const result = await collectGarbage({ store, findReferenced: async () => new Set(), graceMs: 3_600_000 });
  t.equal(result.temporariesDeleted, 1);
  t.same(await readdir(join(root, 'tmp')), ['young.part']);
});

t.test('memory stays bounded while streaming a large body', async (t) => {
  const store = await FsBlobStore.open(t.testdir());
  const size = 256 * 1024 * 1024;
  const { result, growth } = await peakLiveGrowth(() => store.put(patternStream(size, 5, 1024 * 1024), { checksums: ['CRC32C', 'SHA256'] }));
  t.equal(result.size, size);
  t.ok(growth < 32 * 1024 * 1024, `peak live growth ${Math.round(growth / 1048576)} MiB for a 256 MiB body`);
});
