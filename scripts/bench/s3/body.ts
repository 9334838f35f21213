// Large request bodies made on the fly, 1 MiB at a time, never held whole: one random MiB
// repeated, each chunk stamped with its object seed and position so no two chunks are equal.
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';

const CHUNK = 1024 * 1024;
const BASE = randomBytes(CHUNK);

function* chunks(size: number, seed: number, onChunk?: (chunk: Buffer) => void): Generator<Buffer> {
  for (let at = 0, n = 0; at < size; at += CHUNK, n++) {
    const chunk = Buffer.allocUnsafe(Math.min(CHUNK, size - at));
    BASE.copy(chunk, 0, 0, chunk.length);
    if (chunk.length >= 16) {
      chunk.writeUInt32BE(seed, 0);
      chunk.writeUInt32BE(n, 4);
    }
    onChunk?.(chunk);
    yield chunk;
  }
}

/** A stream of `size` bytes; `onChunk` sees each chunk as it is made (to hash what was sent). */
export function generatedBody(size: number, seed: number, onChunk?: (chunk: Buffer) => void): Readable {
  return Readable.from(chunks(size, seed, onChunk), { objectMode: false, highWaterMark: 4 * CHUNK });
}

export const MiB = 1024 * 1024;
export const GiB = 1024 * MiB;

/** "64MiB", "1GiB", "512KiB" or a number of bytes. */
export function parseSize(raw: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(B|KiB|MiB|GiB)?$/i.exec(raw.trim());
  if (!match) throw new Error(`not a size: "${raw}" (use e.g. 64MiB, 1GiB)`);
  const unit = { b: 1, kib: 1024, mib: MiB, gib: GiB }[(match[2] ?? 'b').toLowerCase() as 'b' | 'kib' | 'mib' | 'gib'];
  return Math.round(Number(match[1]) * unit);
}

export function formatSize(bytes: number): string {
  if (bytes % GiB === 0) return `${bytes / GiB} GiB`;
  if (bytes % MiB === 0) return `${bytes / MiB} MiB`;
  return `${bytes} B`;
}
