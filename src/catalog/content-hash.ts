// An order-independent hash of a whole tree: the sum modulo 2^256 of SHA-256 over each live
// (path, etag, size). Adding or removing one object adds or subtracts its digest, so a commit
// updates the hash in O(changes) and two commits with equal hashes hold the same content.
import { createHash } from 'node:crypto';

const MODULUS = 1n << 256n;
export const EMPTY_CONTENT_HASH = '0'.repeat(64);

export interface HashedObject {
  path: string;
  etag: string;
  size: number;
}

function digest(object: HashedObject): bigint {
  const hex = createHash('sha256').update(`${object.path}\0${object.etag}\0${object.size}`).digest('hex');
  return BigInt(`0x${hex}`);
}

export function updateContentHash(hash: string, removed: Iterable<HashedObject>, added: Iterable<HashedObject>): string {
  let sum = BigInt(`0x${hash}`);
  for (const object of removed) sum -= digest(object);
  for (const object of added) sum += digest(object);
  sum = ((sum % MODULUS) + MODULUS) % MODULUS;
  return sum.toString(16).padStart(64, '0');
}
