// Reading an object's bytes. Most objects are one blob; an object assembled from a multipart
// upload is the concatenation of its parts (address 'upload:<id>'), read part after part so
// that completing an upload never copies bytes.
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ObjectEntry } from '../catalog/index.js';
import { uploads } from '../catalog/index.js';
import type { Services } from './services.js';

export interface ByteRange {
  start: number;
  /** Inclusive. */
  end: number;
}

export const UPLOAD_ADDRESS_PREFIX = 'upload:';

export async function openBlobRange(services: Services, entry: Pick<ObjectEntry, 'address' | 'size'>, range?: ByteRange): Promise<Readable> {
  if (!entry.address.startsWith(UPLOAD_ADDRESS_PREFIX)) {
    if (entry.size === 0) return emptyStream();
    return services.blobs.get(entry.address, range);
  }
  const parts = await uploads.listCompletedParts(services.db, entry.address.slice(UPLOAD_ADDRESS_PREFIX.length));
  const wanted = range ?? { start: 0, end: entry.size - 1 };
  const out = new PassThrough();
  void (async () => {
    let offset = 0;
    for (const part of parts) {
      const [from, to] = [Math.max(wanted.start, offset), Math.min(wanted.end, offset + part.size - 1)];
      offset += part.size;
      if (from > to) continue;
      const source = await services.blobs.get(part.address, { start: from - (offset - part.size), end: to - (offset - part.size) });
      await pipeline(source, out, { end: false });
    }
    out.end();
  })().catch((err: unknown) => out.destroy(err as Error));
  return out;
}

/**
 * The bytes of an object's part `partNumber` (1-based, in part order) and how many parts it has:
 * an object not assembled from an upload is one part. Null when there is no such part.
 */
export async function partOf(
  services: Services,
  entry: Pick<ObjectEntry, 'address' | 'size'>,
  partNumber: number,
): Promise<{ range: ByteRange; count: number } | null> {
  if (!entry.address.startsWith(UPLOAD_ADDRESS_PREFIX)) {
    return partNumber === 1 && entry.size > 0 ? { range: { start: 0, end: entry.size - 1 }, count: 1 } : null;
  }
  const parts = await uploads.listCompletedParts(services.db, entry.address.slice(UPLOAD_ADDRESS_PREFIX.length));
  if (partNumber > parts.length) return null;
  const start = parts.slice(0, partNumber - 1).reduce((sum, p) => sum + p.size, 0);
  return { range: { start, end: start + parts[partNumber - 1]!.size - 1 }, count: parts.length };
}

function emptyStream(): Readable {
  const stream = new PassThrough();
  stream.end();
  return stream;
}
