// collectGarbage's own rules, on the filesystem store (the contract runs the common cases on every store).
import t from 'tap';
import { patternStream } from '../../src/blobstore/blob-store.contract-data.js';
import { FsBlobStore } from '../../src/blobstore/fs-store.js';
import { collectGarbage } from '../../src/blobstore/gc.js';

const future = (): Date => new Date(Date.now() + 3_600_000);

t.test('a failing reference lookup deletes nothing and rejects', async (t) => {
  const store = await FsBlobStore.open(t.testdir());
  const { address } = await store.put(patternStream(10));
  const findReferenced = async (): Promise<Set<string>> => {
    throw new Error('catalog unavailable');
  };
  await t.rejects(collectGarbage({ store, findReferenced, graceMs: 0, now: future() }), { message: 'catalog unavailable' });
  t.not(await store.stat(address), null);
});

t.test('batches are exactly batchSize, and every unreferenced blob goes', async (t) => {
  const store = await FsBlobStore.open(t.testdir());
  const puts = [];
  for (let i = 0; i < 7; i++) puts.push(await store.put(patternStream(10)));
  const sizes: number[] = [];
  const result = await collectGarbage({
    store,
    findReferenced: async (addresses) => {
      sizes.push(addresses.length);
      return new Set();
    },
    graceMs: 1000,
    now: future(),
    batchSize: 3,
    deleteConcurrency: 2,
  });
  t.same(sizes, [3, 3, 1]);
  t.match(result, { scanned: 7, deleted: 7, kept: 0, young: 0, temporariesDeleted: 0 });
  for (const p of puts) t.equal(await store.stat(p.address), null);
});

t.test('an empty store is a no-op', async (t) => {
  const store = await FsBlobStore.open(t.testdir());
  let asked = false;
  const result = await collectGarbage({ store, findReferenced: async () => ((asked = true), new Set()), graceMs: 0 });
  t.same(result, { scanned: 0, deleted: 0, kept: 0, young: 0, temporariesDeleted: 0 });
  t.notOk(asked);
});
