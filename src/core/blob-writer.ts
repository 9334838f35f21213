// Storing a body as a new blob, with its digests. Hashing a large body costs more CPU than
// anything else a request does (MD5 alone runs at about 600 MB/s), so bodies of a MiB or more,
// and those of unknown length, are hashed on a worker thread while the event loop only copies
// and writes; small ones are hashed inline, where a message to a worker would cost more.
import type { BlobBody, PutResult } from '../blobstore/blob-store.js';
import type { ChecksumAlgorithm } from '../blobstore/checksums.js';
import { createStreamHasher } from '../workers/stream-hasher.js';
import type { Services } from './services.js';

export const HASH_ON_WORKER_FROM_BYTES = 1024 * 1024;

export function storeBlob(
  services: Services,
  body: BlobBody,
  opts: { checksums?: readonly ChecksumAlgorithm[]; expectedSize?: number | undefined } = {},
): Promise<PutResult> {
  const onWorker = opts.expectedSize === undefined || opts.expectedSize >= HASH_ON_WORKER_FROM_BYTES;
  return services.blobs.put(body, {
    ...(opts.checksums ? { checksums: opts.checksums } : {}),
    ...(opts.expectedSize !== undefined ? { expectedSize: opts.expectedSize } : {}),
    ...(onWorker ? { hasher: createStreamHasher } : {}),
  });
}
