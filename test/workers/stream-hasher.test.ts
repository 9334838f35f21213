// Hashing on a worker thread gives exactly the digests of hashing inline, whatever the chunking;
// it holds back the producer when too much is in flight; and an abandoned stream frees its task.
import { randomBytes } from 'node:crypto';
import t from 'tap';
import { CHECKSUM_ALGORITHMS, createHasher } from '../../src/blobstore/checksums.js';
import { closeWorkerPool, workerPool } from '../../src/workers/pool.js';
import { createStreamHasher } from '../../src/workers/stream-hasher.js';

t.teardown(() => closeWorkerPool());

function chunksOf(data: Buffer, sizes: number[]): Buffer[] {
  const out: Buffer[] = [];
  for (let offset = 0, i = 0; offset < data.length; i++) {
    const n = Math.min(sizes[i % sizes.length]!, data.length - offset);
    out.push(data.subarray(offset, offset + n));
    offset += n;
  }
  return out;
}

t.test('the same digests as inline, for every algorithm and any chunking', async (t) => {
  for (const size of [0, 1, 1000, 256 * 1024, 256 * 1024 + 1, 3 * 1024 * 1024 + 17]) {
    const data = randomBytes(size);
    const inline = await createHasher(CHECKSUM_ALGORITHMS);
    inline.update(data);
    const expected = inline.digest();
    for (const sizes of [[size || 1], [1, 7, 65536], [300_000]]) {
      const hasher = createStreamHasher(CHECKSUM_ALGORITHMS);
      for (const chunk of chunksOf(data, sizes)) await hasher.update(chunk);
      t.same(await hasher.digest(), expected, `${size} bytes in chunks of ${sizes.join('/')}`);
    }
  }
});

t.test('the producer waits while four batches are in flight', async (t) => {
  const hasher = createStreamHasher(['SHA256']);
  let waited = 0;
  for (let i = 0; i < 64; i++) if (hasher.update(randomBytes(256 * 1024))) waited++;
  // Not awaiting the returned promises is what a careless producer would do: it is told to wait.
  t.ok(waited > 0, 'update() asked the producer to wait');
  await hasher.digest();
});

t.test('an abandoned stream ends its task', async (t) => {
  const before = workerPool().completed;
  const hasher = createStreamHasher(['CRC32']);
  await hasher.update(randomBytes(1024));
  hasher.abort!();
  while (workerPool().completed === before) await new Promise((r) => setTimeout(r, 10));
  t.equal(workerPool().queueSize, 0, 'no task is left waiting');
});
