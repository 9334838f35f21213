// S3's FULL_OBJECT checksum of a multipart object: the CRC of the whole object, derived from
// the parts' CRCs and sizes without reading any bytes (CRC64NVME multipart uploads only have
// this type). Math as zlib's crc32_combine: crc(A‖B) = crc(A)·x^(8·|B|) mod P ⊕ crc(B), in
// the reflected bit order these CRCs use; init and xorout are all ones, so they cancel.
import { InvalidError } from '../errors.js';

export type CrcAlgorithm = 'CRC32' | 'CRC32C' | 'CRC64NVME';

interface CrcSpec {
  width: bigint;
  /** Reflected polynomial. */
  poly: bigint;
}

const SPECS: Record<CrcAlgorithm, CrcSpec> = {
  CRC32: { width: 32n, poly: 0xedb88320n },
  CRC32C: { width: 32n, poly: 0x82f63b78n },
  CRC64NVME: { width: 64n, poly: 0x9a6c9329ac4bc9b5n },
};

export function isCrcAlgorithm(name: string): name is CrcAlgorithm {
  return name in SPECS;
}

/** a·b mod P, both reflected (the top bit is x^0). */
function multModP(spec: CrcSpec, a: bigint, b: bigint): bigint {
  let m = 1n << (spec.width - 1n);
  let p = 0n;
  while (m !== 0n) {
    if ((a & m) !== 0n) p ^= b;
    m >>= 1n;
    b = (b & 1n) !== 0n ? (b >> 1n) ^ spec.poly : b >> 1n;
  }
  return p;
}

/** x^(8·bytes) mod P, by squaring; memoized because parts are mostly one size. */
function shiftOperator(spec: CrcSpec, bytes: number, memo: Map<number, bigint>): bigint {
  const known = memo.get(bytes);
  if (known !== undefined) return known;
  let power = 1n << (spec.width - 2n); // x^1
  for (let i = 0; i < 3; i++) power = multModP(spec, power, power); // x^8: one byte
  let result = 1n << (spec.width - 1n); // x^0
  for (let n = BigInt(bytes); n > 0n; n >>= 1n) {
    if ((n & 1n) !== 0n) result = multModP(spec, power, result);
    power = multModP(spec, power, power);
  }
  memo.set(bytes, result);
  return result;
}

function decodeCrc(spec: CrcSpec, base64: string, index: number): bigint {
  const raw = Buffer.from(base64, 'base64');
  if (BigInt(raw.length * 8) !== spec.width || raw.toString('base64') !== base64)
    throw new InvalidError(`part ${index + 1} checksum is not a ${spec.width}-bit base64 CRC: ${base64}`);
  return BigInt(`0x${raw.toString('hex')}`);
}

function encodeCrc(spec: CrcSpec, value: bigint): string {
  return Buffer.from(value.toString(16).padStart(Number(spec.width / 4n), '0'), 'hex').toString('base64');
}

/**
 * The CRC of the concatenation of parts, given each part's base64 CRC and byte size, in
 * order. Returns base64 without a `-N` suffix (S3 shows full-object checksums bare).
 */
export function combineCrcs(algorithm: CrcAlgorithm, parts: readonly { checksum: string; size: number }[]): string {
  const spec = SPECS[algorithm];
  if (parts.length === 0) throw new InvalidError('combining CRCs needs at least one part');
  const memo = new Map<number, bigint>();
  let crc = 0n;
  parts.forEach((part, i) => {
    if (!Number.isSafeInteger(part.size) || part.size < 0) throw new InvalidError(`part ${i + 1} has an invalid size`);
    const next = decodeCrc(spec, part.checksum, i);
    crc = i === 0 ? next : multModP(spec, shiftOperator(spec, part.size, memo), crc) ^ next;
  });
  return encodeCrc(spec, crc);
}
