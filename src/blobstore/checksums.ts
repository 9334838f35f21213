// Streaming digests of object bytes, encoded exactly as S3 puts them in headers: MD5 as hex
// (ETag), flexible checksums as base64 of the big-endian digest (`x-amz-checksum-*`).
// Library choice per algorithm follows the measurements in S3-CLIENT-FACTS.md.
import { createHash, type Hash } from 'node:crypto';
import { crc32 as zlibCrc32 } from 'node:zlib';
import { createCRC32, createCRC64, type IHasher } from 'hash-wasm';
import { InvalidError } from '../errors.js';

export type ChecksumAlgorithm = 'CRC32' | 'CRC32C' | 'CRC64NVME' | 'SHA1' | 'SHA256';

export const CHECKSUM_ALGORITHMS: readonly ChecksumAlgorithm[] = ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'];

export type Checksums = Partial<Record<ChecksumAlgorithm, string>>;

export interface Digests {
  md5Hex: string;
  /** base64 of the big-endian digest bytes, one per requested algorithm. */
  checksums: Checksums;
}

/**
 * Feed chunks in order with `update`, then call `digest` once. Not safe to reuse after digest.
 * A hasher may work elsewhere (a worker thread): then `update` may ask the caller to wait
 * before the next chunk, and `abort` releases it when the stream is abandoned.
 */
export interface Hasher {
  update(chunk: Uint8Array): void | Promise<void>;
  digest(): Digests | Promise<Digests>;
  abort?(): void;
}

/** A hasher that works on the calling thread, synchronously. */
export interface InlineHasher extends Hasher {
  update(chunk: Uint8Array): void;
  digest(): Digests;
}

export function isChecksumAlgorithm(name: string): name is ChecksumAlgorithm {
  return (CHECKSUM_ALGORITHMS as readonly string[]).includes(name);
}

/** Reflected polynomials, as hash-wasm takes them. */
const CRC32C_POLYNOMIAL = 0x82f63b78;
const CRC64NVME_POLYNOMIAL = '9a6c9329ac4bc9b5';

/**
 * hash-wasm instances each own a WebAssembly memory and cost ~0.2 ms to create, so finished
 * ones are kept for the next stream. An abandoned hasher (its stream failed) is simply
 * collected by the GC; the pool never hands one instance to two streams.
 */
class WasmHasherPool {
  private readonly idle: IHasher[] = [];
  constructor(
    private readonly create: () => Promise<IHasher>,
    private readonly maxIdle = 32,
  ) {}

  async acquire(): Promise<IHasher> {
    return (this.idle.pop() ?? (await this.create())).init();
  }

  release(hasher: IHasher): void {
    if (this.idle.length < this.maxIdle) this.idle.push(hasher);
  }
}

const crc32cPool = new WasmHasherPool(() => createCRC32(CRC32C_POLYNOMIAL));
const crc64nvmePool = new WasmHasherPool(() => createCRC64(CRC64NVME_POLYNOMIAL));

/** One algorithm's running state. */
interface Part {
  update(chunk: Uint8Array): void;
  /** Raw big-endian digest bytes. */
  finish(): Uint8Array;
}

function nodeHashPart(name: 'md5' | 'sha1' | 'sha256'): Part {
  const hash: Hash = createHash(name);
  return { update: (chunk) => hash.update(chunk), finish: () => hash.digest() };
}

function zlibCrc32Part(): Part {
  let value = 0;
  return {
    update: (chunk) => {
      value = zlibCrc32(chunk, value);
    },
    finish: () => {
      const out = Buffer.alloc(4);
      out.writeUInt32BE(value >>> 0);
      return out;
    },
  };
}

async function wasmPart(pool: WasmHasherPool): Promise<Part> {
  const hasher = await pool.acquire();
  return {
    update: (chunk) => hasher.update(chunk),
    finish: () => {
      // Copied before the instance goes back to the pool, in case the bytes view its memory.
      const out = Uint8Array.from(hasher.digest('binary'));
      pool.release(hasher);
      return out;
    },
  };
}

async function partFor(algorithm: ChecksumAlgorithm): Promise<Part> {
  switch (algorithm) {
    case 'CRC32':
      return zlibCrc32Part();
    case 'CRC32C':
      return wasmPart(crc32cPool);
    case 'CRC64NVME':
      return wasmPart(crc64nvmePool);
    case 'SHA1':
      return nodeHashPart('sha1');
    case 'SHA256':
      return nodeHashPart('sha256');
  }
}

/** MD5 always, plus each of `algorithms` (duplicates ignored). */
export async function createHasher(algorithms: readonly ChecksumAlgorithm[] = []): Promise<InlineHasher> {
  const unique = [...new Set(algorithms)];
  for (const a of unique) if (!isChecksumAlgorithm(a)) throw new InvalidError(`unknown checksum algorithm ${String(a)}`);
  const md5 = nodeHashPart('md5');
  const parts = await Promise.all(unique.map(async (a) => [a, await partFor(a)] as const));
  let done = false;
  return {
    update(chunk) {
      if (done) throw new Error('hasher already digested');
      md5.update(chunk);
      for (const [, part] of parts) part.update(chunk);
    },
    digest() {
      if (done) throw new Error('hasher already digested');
      done = true;
      const checksums: Checksums = {};
      for (const [a, part] of parts) checksums[a] = Buffer.from(part.finish()).toString('base64');
      return { md5Hex: Buffer.from(md5.finish()).toString('hex'), checksums };
    },
  };
}

/** Base64 checksum of bytes already in memory (small inputs: part digests, tests). */
export async function checksumOf(algorithm: ChecksumAlgorithm, data: Uint8Array): Promise<string> {
  const hasher = await createHasher([algorithm]);
  hasher.update(data);
  return hasher.digest().checksums[algorithm] as string;
}

function decodeBase64Strict(value: string, what: string): Buffer {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(value) || value.length % 4 !== 0) throw new InvalidError(`${what} is not base64: ${value}`);
  return Buffer.from(value, 'base64');
}

/**
 * S3's COMPOSITE checksum of a multipart object: the checksum of the concatenated raw part
 * checksums, then `-<partCount>`. `partChecksums` are base64, in part-number order.
 */
export async function compositeChecksum(algorithm: ChecksumAlgorithm, partChecksums: readonly string[]): Promise<string> {
  if (partChecksums.length === 0) throw new InvalidError('a multipart checksum needs at least one part');
  const raw = Buffer.concat(partChecksums.map((c, i) => decodeBase64Strict(c, `part ${i + 1} ${algorithm} checksum`)));
  return `${await checksumOf(algorithm, raw)}-${partChecksums.length}`;
}

/**
 * S3's multipart ETag (unquoted): md5 of the concatenated binary part MD5s, then `-<partCount>`.
 * `partMd5Hex` are hex digests in part-number order; surrounding quotes are tolerated.
 */
export function multipartEtag(partMd5Hex: readonly string[]): string {
  if (partMd5Hex.length === 0) throw new InvalidError('a multipart ETag needs at least one part');
  const md5 = createHash('md5');
  for (const quoted of partMd5Hex) {
    const hex = quoted.replace(/^"|"$/g, '');
    if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new InvalidError(`not an MD5 hex digest: ${quoted}`);
    md5.update(Buffer.from(hex, 'hex'));
  }
  return `${md5.digest('hex')}-${partMd5Hex.length}`;
}
