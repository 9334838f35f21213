// Worker side of a streamed hash: digests (MD5 and the requested checksums) of the chunks that
// arrive on `port`, in order; `null` ends the stream and the task resolves with the digests.
// Each chunk is acknowledged by returning it, so the sender can bound what is in flight and
// reuse its buffers. A port closed before the end (the upload failed) ends the task without
// digests.
import type { MessagePort } from 'node:worker_threads';
import { createHasher, type ChecksumAlgorithm, type Digests } from '../blobstore/checksums.js';

export interface HashStreamTask {
  port: MessagePort;
  algorithms: ChecksumAlgorithm[];
}

export async function hashStream({ port, algorithms }: HashStreamTask): Promise<Digests | null> {
  const hasher = await createHasher(algorithms);
  return new Promise((resolve) => {
    port.on('message', (chunk: ArrayBuffer | null) => {
      if (chunk === null) {
        port.close();
        resolve(hasher.digest());
        return;
      }
      hasher.update(new Uint8Array(chunk));
      // The acknowledgment hands the batch back, for the sender to fill again.
      port.postMessage(chunk, [chunk]);
    });
    port.on('close', () => resolve(null));
  });
}
