// A Hasher whose work runs on a worker thread: the bytes are copied into batches that are
// handed over (transferred, not copied again) to a hash-stream task, at most a few batches in
// flight, so memory stays bounded and a slow worker slows the upload rather than filling memory.
// The worker hands each batch back, and it is filled again: a large upload allocates a few
// batches rather than one per 256 KiB, which left tens of MiB of dead buffers between
// collections.
import { MessageChannel } from 'node:worker_threads';
import type { ChecksumAlgorithm, Digests, Hasher } from '../blobstore/checksums.js';
import type { HashStreamTask } from './hash-stream.js';
import { workerPool } from './pool.js';

const BATCH_BYTES = 256 * 1024;
const MAX_IN_FLIGHT = 4;

export function createStreamHasher(algorithms: readonly ChecksumAlgorithm[]): Hasher {
  const { port1, port2 } = new MessageChannel();
  const task: HashStreamTask = { port: port2, algorithms: [...new Set(algorithms)] };
  const result = workerPool().run(task, { name: 'hashStream', transferList: [port2] }) as Promise<Digests | null>;
  result.catch(() => {}); // a failure surfaces in digest()
  let batch = new Uint8Array(BATCH_BYTES);
  const spare: Uint8Array<ArrayBuffer>[] = [];
  let filled = 0;
  let inFlight = 0;
  let wake: (() => void) | null = null;
  port1.on('message', (returned: ArrayBuffer) => {
    inFlight--;
    if (returned.byteLength === BATCH_BYTES && spare.length < MAX_IN_FLIGHT) spare.push(new Uint8Array(returned));
    wake?.();
    wake = null;
  });
  port1.unref();

  const send = (bytes: Uint8Array) => {
    inFlight++;
    port1.postMessage(bytes.buffer, [bytes.buffer as ArrayBuffer]);
  };
  const flushBatch = () => {
    if (filled === 0) return;
    if (filled < BATCH_BYTES) send(batch.slice(0, filled));
    else {
      send(batch);
      batch = spare.pop() ?? new Uint8Array(BATCH_BYTES);
    }
    filled = 0;
  };

  return {
    update(chunk) {
      for (let offset = 0; offset < chunk.byteLength; ) {
        const n = Math.min(BATCH_BYTES - filled, chunk.byteLength - offset);
        batch.set(chunk.subarray(offset, offset + n), filled);
        filled += n;
        offset += n;
        if (filled === BATCH_BYTES) flushBatch();
      }
      if (inFlight < MAX_IN_FLIGHT) return;
      return new Promise<void>((resolve) => (wake = resolve));
    },
    async digest() {
      flushBatch();
      port1.postMessage(null);
      const digests = await result;
      port1.close();
      if (!digests) throw new Error('the hashing worker stopped before the end of the stream');
      return digests;
    },
    abort() {
      port1.close();
    },
  };
}
