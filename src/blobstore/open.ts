// Opens the configured blob store (main.ts / runtime.ts call this once at start-up).
import type { BlobStore } from './blob-store.js';
import { FsBlobStore } from './fs-store.js';
import { S3BlobStore, type S3BlobStoreConfig } from './s3-store.js';

/** Structurally config.ts's BlobStoreConfig: blobstore/ does not import config. */
export type BlobStoreSettings = { kind: 'fs'; root: string } | ({ kind: 's3' } & S3BlobStoreConfig);

export async function openBlobStore(settings: BlobStoreSettings): Promise<BlobStore> {
  if (settings.kind === 'fs') return FsBlobStore.open(settings.root);
  return new S3BlobStore(settings);
}
