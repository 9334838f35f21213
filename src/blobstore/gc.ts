// Garbage collection of blobs: a put writes bytes before a catalog transaction references
// them, so a crash, a failed request or a deleted repository leaves blobs nobody references.
// The grace period protects blobs whose reference is still on its way: it must exceed the
// longest upload plus its commit, and the lifetime of any presigned upload URL.
import type { BlobStore } from './blob-store.js';

export interface GcOptions {
  store: BlobStore;
  /** The subset of `addresses` the catalog still references (any version, staged, upload part). */
  findReferenced(addresses: string[]): Promise<Set<string>>;
  /** Blobs and temporaries younger than this are left alone. */
  graceMs: number;
  now?: Date;
  /** Addresses per findReferenced call (default 1000). */
  batchSize?: number;
  /** Deletes in flight at once (default 8). */
  deleteConcurrency?: number;
}

export interface GcResult {
  /** Blobs listed. */
  scanned: number;
  deleted: number;
  /** Referenced or younger than the grace period. */
  kept: number;
  /** Of `kept`, those kept only for being younger than the grace period. */
  young: number;
  /** Leftovers of interrupted writes removed (temporary files, incomplete multipart uploads). */
  temporariesDeleted: number;
}

export async function collectGarbage(opts: GcOptions): Promise<GcResult> {
  const batchSize = Math.max(1, opts.batchSize ?? 1000);
  const cutoff = new Date((opts.now ?? new Date()).getTime() - opts.graceMs);
  const result: GcResult = { scanned: 0, deleted: 0, kept: 0, young: 0, temporariesDeleted: 0 };
  let batch: string[] = [];
  const sweep = async (): Promise<void> => {
    const unreferenced = await unreferencedOf(batch, opts.findReferenced);
    result.kept += batch.length - unreferenced.length;
    await forEachLimited(unreferenced, opts.deleteConcurrency ?? 8, (address) => opts.store.delete(address));
    result.deleted += unreferenced.length;
    batch = [];
  };
  for await (const blob of opts.store.list()) {
    result.scanned++;
    if (blob.lastModified > cutoff) {
      result.young++;
      result.kept++;
      continue;
    }
    batch.push(blob.address);
    if (batch.length >= batchSize) await sweep();
  }
  if (batch.length > 0) await sweep();
  result.temporariesDeleted = await opts.store.deleteStaleTemporaries(cutoff);
  return result;
}

async function unreferencedOf(addresses: string[], findReferenced: GcOptions['findReferenced']): Promise<string[]> {
  const referenced = await findReferenced(addresses);
  return addresses.filter((a) => !referenced.has(a));
}

async function forEachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}
