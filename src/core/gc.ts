// Garbage collection of blobs: those no entry, staged change or upload references any more,
// once older than the grace period (a blob is written before the catalog row naming it).
import { collectGarbage } from '../blobstore/gc.js';
import { findReferencedAddresses } from '../catalog/index.js';
import type { Services } from './services.js';

export function collectBlobGarbage(services: Services, graceMs: number) {
  return collectGarbage({
    store: services.blobs,
    findReferenced: (addresses) => findReferencedAddresses(services.db, addresses),
    graceMs,
  });
}
