// Test data for the blob store contract: deterministic byte streams of any size, generated
// lazily, and digests computed by implementations independent of checksums.ts (node:crypto,
// zlib, and the AWS SDK's own CRC32C / CRC64NVME) to check the store's digests against.
import { Crc32c, Crc64Nvme } from '@aws-sdk/checksums/crc';
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import type { ChecksumAlgorithm } from './checksums.js';

export interface ReferenceDigests {
  size: number;
  md5Hex: string;
  checksums: Record<ChecksumAlgorithm, string>;
}

/** `size` pseudo-random bytes (xorshift32 from `seed`) in chunks of `chunkSize`. */
export function* patternChunks(size: number, seed = 1, chunkSize = 64 * 1024): Generator<Buffer> {
  let state = seed >>> 0 || 1;
  for (let offset = 0; offset < size; offset += chunkSize) {
    const chunk = Buffer.alloc(Math.min(chunkSize, size - offset));
    for (let i = 0; i < chunk.length; i += 4) {
      state ^= state << 13;
      state ^= state >>> 17;
      state ^= state << 5;
      state >>>= 0;
      for (let b = 0; b < 4 && i + b < chunk.length; b++) chunk[i + b] = (state >>> (8 * b)) & 0xff;
    }
    yield chunk;
  }
}

/** The same bytes as patternChunks, as an async source (what a network body looks like). */
export async function* patternStream(size: number, seed = 1, chunkSize = 64 * 1024): AsyncGenerator<Buffer> {
  for (const chunk of patternChunks(size, seed, chunkSize)) yield chunk;
}

export function patternBytes(size: number, seed = 1): Buffer {
  return Buffer.concat([...patternChunks(size, seed)]);
}

export async function referenceDigests(chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>): Promise<ReferenceDigests> {
  const md5 = createHash('md5');
  const sha1 = createHash('sha1');
  const sha256 = createHash('sha256');
  const crc32c = new Crc32c();
  const crc64 = new Crc64Nvme();
  let crc = 0;
  let size = 0;
  for await (const chunk of chunks) {
    size += chunk.byteLength;
    for (const h of [md5, sha1, sha256]) h.update(chunk);
    crc32c.update(chunk);
    crc64.update(chunk);
    crc = crc32(chunk, crc);
  }
  const crcBytes = Buffer.alloc(4);
  crcBytes.writeUInt32BE(crc >>> 0);
  const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
  return {
    size,
    md5Hex: md5.digest('hex'),
    checksums: {
      CRC32: b64(crcBytes),
      CRC32C: b64(await crc32c.digest()),
      CRC64NVME: b64(await crc64.digest()),
      SHA1: sha1.digest('base64'),
      SHA256: sha256.digest('base64'),
    },
  };
}

export async function readAll(stream: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/** Yields `goodBytes` of pattern data, then fails like a dropped connection. */
export async function* failingStream(goodBytes: number, error: Error): AsyncGenerator<Buffer> {
  yield* patternStream(goodBytes);
  throw error;
}
