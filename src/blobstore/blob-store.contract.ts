// The one behaviour suite every BlobStore implementation runs (test/blobstore/*-store.test.ts).
// Each subtest gets a fresh, empty store from makeStore and cleans it up afterwards.
import { Readable } from 'node:stream';
import type { Test } from 'tap';
import { InvalidError, NotFoundError } from '../errors.js';
import { isBlobAddress } from './address.js';
import { BlobSizeMismatchError, type BlobStore } from './blob-store.js';
import {
  failingStream,
  patternBytes,
  patternChunks,
  patternStream,
  readAll,
  referenceDigests,
} from './blob-store.contract-data.js';
import { CHECKSUM_ALGORITHMS } from './checksums.js';
import { digestBlob } from './digest-blob.js';
import { collectGarbage } from './gc.js';

export interface StoreFixture {
  store: BlobStore;
  cleanup(): Promise<void>;
}

export type MakeStore = () => Promise<StoreFixture>;

type Body = (t: Test, store: BlobStore) => Promise<void>;

const MIB = 1024 * 1024;

async function listAddresses(store: BlobStore): Promise<string[]> {
  const out: string[] = [];
  for await (const blob of store.list()) out.push(blob.address);
  return out.sort();
}

export function blobStoreContract(t: Test, makeStore: MakeStore): void {
  const withStore = (name: string, body: Body): void => {
    void t.test(name, async (t) => {
      const { store, cleanup } = await makeStore();
      t.teardown(cleanup);
      await body(t, store);
    });
  };

  withStore('round trip: empty, small, 20 MiB streamed, with every digest', async (t, s) => {
    for (const size of [0, 5, 20 * MIB]) {
      const put = await s.put(patternStream(size, size + 1), { checksums: CHECKSUM_ALGORITHMS });
      const expected = await referenceDigests(patternChunks(size, size + 1));
      t.ok(isBlobAddress(put.address), `${size}: address ${put.address}`);
      t.equal(put.size, size, `${size}: size`);
      t.equal(put.md5Hex, expected.md5Hex, `${size}: md5`);
      t.same(put.checksums, expected.checksums, `${size}: checksums`);
      const back = await referenceDigests(await s.get(put.address));
      t.same(back, expected, `${size}: bytes read back`);
    }
  });

  withStore('only requested checksums are computed; md5 always', async (t, s) => {
    const put = await s.put(patternStream(1000), { checksums: ['SHA256'] });
    const expected = await referenceDigests(patternChunks(1000));
    t.same(put.checksums, { SHA256: expected.checksums.SHA256 });
    t.equal(put.md5Hex, expected.md5Hex);
    const bare = await s.put(patternStream(10));
    t.same(bare.checksums, {});
  });

  withStore('accepts a Node Readable, a generator and a web ReadableStream', async (t, s) => {
    const data = patternBytes(300_000, 7);
    const bodies = [Readable.from(patternChunks(300_000, 7)), patternStream(300_000, 7), Readable.toWeb(Readable.from([data]))];
    for (const body of bodies) {
      const put = await s.put(body as AsyncIterable<Uint8Array>);
      t.ok((await readAll(await s.get(put.address))).equals(data));
    }
  });

  withStore('ranged reads', async (t, s) => {
    const data = patternBytes(100_000, 3);
    const { address } = await s.put(Readable.from([data]));
    const cases: [string, number, number, Buffer][] = [
      ['first byte', 0, 0, data.subarray(0, 1)],
      ['middle', 40_000, 40_099, data.subarray(40_000, 40_100)],
      ['last byte', 99_999, 99_999, data.subarray(99_999)],
      ['whole', 0, 99_999, data],
      ['end past the last byte is clamped', 99_990, 200_000, data.subarray(99_990)],
    ];
    for (const [name, start, end, want] of cases) t.ok((await readAll(await s.get(address, { start, end }))).equals(want), name);
    await t.rejects(s.get(address, { start: 100_000, end: 100_001 }), InvalidError, 'start past the end');
    // Small bodies may be read in one call: the same bytes, whole or in part.
    const small = patternBytes(5000, 4);
    const smallBlob = (await s.put(Readable.from([small]))).address;
    t.ok((await readAll(await s.get(smallBlob))).equals(small), 'a small blob whole');
    t.ok((await readAll(await s.get(smallBlob, { start: 4990, end: 10_000 }))).equals(small.subarray(4990)), 'a small blob\'s clamped tail');
    await t.rejects(s.get(address, { start: 5, end: 4 }), InvalidError, 'end before start');
  });

  withStore('stat', async (t, s) => {
    const before = Date.now();
    const { address } = await s.put(patternStream(1234));
    const info = await s.stat(address);
    t.equal(info?.size, 1234);
    // Backends keep whole seconds (S3) or coarse clocks; allow a small skew.
    t.ok(info && Math.abs(info.lastModified.getTime() - before) < 60_000, 'lastModified is about now');
    t.equal(await s.stat(s.newAddress()), null, 'missing blob');
  });

  withStore('delete is idempotent; missing blobs are NotFoundError', async (t, s) => {
    const { address } = await s.put(patternStream(10));
    await s.delete(address);
    await s.delete(address);
    await s.delete(s.newAddress());
    t.equal(await s.stat(address), null);
    await t.rejects(s.get(address), NotFoundError);
    await t.rejects(s.get(s.newAddress(), { start: 0, end: 0 }), NotFoundError);
    t.same(await listAddresses(s), []);
  });

  withStore('addresses are validated', async (t, s) => {
    for (const bad of ['../../etc/passwd', 'ab/cd/../../x', 'AB/CD/ABCD0000000000000000000000000000', 'ab/cd/ef00000000000000000000000000000000'])
      await t.rejects(s.get(bad), InvalidError, bad);
    await t.rejects(s.delete('../x'), InvalidError);
    const a = s.newAddress();
    t.ok(isBlobAddress(a));
    t.not(a, s.newAddress());
  });

  withStore('expectedSize mismatch rejects and leaves nothing behind', async (t, s) => {
    await t.rejects(s.put(patternStream(1000), { expectedSize: 999 }), BlobSizeMismatchError, 'too long');
    await t.rejects(s.put(patternStream(1000), { expectedSize: 1001 }), BlobSizeMismatchError, 'too short');
    await t.rejects(s.put(patternStream(12 * MIB), { expectedSize: 6 * MIB }), BlobSizeMismatchError, 'too long, past one part');
    await t.rejects(s.put(patternStream(10), { expectedSize: -1 }), InvalidError, 'negative');
    const ok = await s.put(patternStream(1000), { expectedSize: 1000 });
    t.equal(ok.size, 1000, 'exact size is accepted');
    t.same(await listAddresses(s), [ok.address], 'only the good blob is listed');
    t.equal(await s.deleteStaleTemporaries(new Date(Date.now() + 3_600_000)), 0, 'no temporaries left');
  });

  withStore('a failing body rejects with its error and leaves nothing behind', async (t, s) => {
    await t.rejects(s.put(failingStream(100_000, new Error('connection reset'))), { message: 'connection reset' });
    await t.rejects(s.put(failingStream(11 * MIB, new Error('reset later'))), { message: 'reset later' });
    const readable = new Readable({ read() {} });
    readable.push(patternBytes(50_000));
    setTimeout(() => readable.destroy(new Error('aborted by client')), 20);
    await t.rejects(s.put(readable), { message: 'aborted by client' });
    t.same(await listAddresses(s), []);
    t.equal(await s.deleteStaleTemporaries(new Date(Date.now() + 3_600_000)), 0, 'no temporaries left');
  });

  withStore('a refused body is not destroyed: the caller still owns it', async (t, s) => {
    const body = Readable.from(patternChunks(200_000));
    await t.rejects(s.put(body, { expectedSize: 10 }), BlobSizeMismatchError);
    t.equal(body.destroyed, false);
    body.destroy();
  });

  withStore('list sees every put; equal bytes get different addresses', async (t, s) => {
    const puts = await Promise.all([1, 2, 3, 4, 5].map(() => s.put(patternStream(4096, 9))));
    const addresses = puts.map((p) => p.address).sort();
    t.equal(new Set(addresses).size, 5, 'five distinct addresses');
    t.same(await listAddresses(s), addresses);
    for await (const blob of s.list()) t.ok(blob.lastModified instanceof Date && !Number.isNaN(blob.lastModified.getTime()));
  });

  withStore('gc deletes only unreferenced blobs older than the grace period', async (t, s) => {
    const [kept, orphan1, orphan2] = await Promise.all([1, 2, 3].map((n) => s.put(patternStream(100, n))));
    const asked: string[][] = [];
    const findReferenced = async (addresses: string[]): Promise<Set<string>> => {
      asked.push(addresses);
      return new Set(addresses.filter((a) => a === kept?.address));
    };
    const young = await collectGarbage({ store: s, findReferenced, graceMs: 3_600_000 });
    t.match(young, { scanned: 3, deleted: 0, kept: 3, young: 3 }, 'everything is inside the grace period');
    t.same(asked, [], 'young blobs are not even looked up');
    const later = new Date(Date.now() + 7_200_000);
    const old = await collectGarbage({ store: s, findReferenced, graceMs: 3_600_000, now: later, batchSize: 2 });
    t.match(old, { scanned: 3, deleted: 2, kept: 1, young: 0 });
    t.ok(asked.every((batch) => batch.length <= 2) && asked.flat().length === 3, 'asked in batches of 2');
    t.same(await listAddresses(s), [kept?.address]);
    t.equal(await s.stat(orphan1?.address ?? ''), null);
    t.equal(await s.stat(orphan2?.address ?? ''), null);
  });

  withStore('presigned PUT and GET, when the store offers them', async (t, s) => {
    if (!s.presignPut || !s.presignGet) {
      t.equal(s.kind, 'fs', 'only the filesystem store goes without presigned URLs');
      return;
    }
    const data = patternBytes(70_000, 11);
    const address = s.newAddress();
    const putUrl = await s.presignPut(address, 300);
    const put = await fetch(putUrl, { method: 'PUT', body: data });
    t.equal(put.status, 200, await put.text());
    const digests = await digestBlob(s, address, ['CRC64NVME']);
    const expected = await referenceDigests([data]);
    t.match(digests, { size: 70_000, md5Hex: expected.md5Hex, checksums: { CRC64NVME: expected.checksums.CRC64NVME } });
    const getUrl = await s.presignGet(address, 300, { responseContentDisposition: 'attachment; filename="x.bin"' });
    const whole = await fetch(getUrl);
    t.ok(Buffer.from(await whole.arrayBuffer()).equals(data), 'GET returns the bytes');
    // The override is a signed query parameter S3 honours; moto (our test server) ignores it.
    t.equal(new URL(getUrl).searchParams.get('response-content-disposition'), 'attachment; filename="x.bin"');
    const part = await fetch(getUrl, { headers: { range: 'bytes=10-19' } });
    t.equal(part.status, 206);
    t.ok(Buffer.from(await part.arrayBuffer()).equals(data.subarray(10, 20)), 'a client Range header works');
    await t.rejects(s.presignPut(address, 0), InvalidError, 'expiry must be positive');
    await t.rejects(s.presignGet('../x', 60), InvalidError);
  });
}
