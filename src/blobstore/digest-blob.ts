// Digests of a blob already in the store: a presigned upload goes to the backend directly,
// so its MD5 (ETag), checksums and size are only known by reading it back at finalize.
import type { BlobStore, PutResult } from './blob-store.js';
import { createHasher, type ChecksumAlgorithm } from './checksums.js';

/** NotFoundError if the blob is missing. Streams the blob: memory stays bounded. */
export async function digestBlob(store: BlobStore, address: string, algorithms: readonly ChecksumAlgorithm[] = []): Promise<PutResult> {
  const hasher = await createHasher(algorithms);
  const stream = await store.get(address);
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    hasher.update(chunk);
  }
  return { address, size, ...hasher.digest() };
}
