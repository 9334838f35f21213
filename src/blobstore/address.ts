// Physical blob addresses: random, opaque, never derived from object keys, so two writes of
// one key never collide and a blob can be shared by many entries. Two fan-out levels keep
// directories (filesystem) and key prefixes (S3) small.
import { randomBytes } from 'node:crypto';
import { InvalidError } from '../errors.js';

const ADDRESS = /^[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]{32}$/;

/** `ab/cd/abcd…` (32 hex digits of randomness, the first four repeated as directories). */
export function newBlobAddress(): string {
  const id = randomBytes(16).toString('hex');
  return `${id.slice(0, 2)}/${id.slice(2, 4)}/${id}`;
}

/** True for addresses this module generates; stores ignore anything else they find. */
export function isBlobAddress(value: string): boolean {
  if (!ADDRESS.test(value)) return false;
  const [a, b, id] = value.split('/') as [string, string, string];
  return id.startsWith(a + b);
}

/** Guards every path or key built from an address (no traversal, no foreign keys). */
export function assertBlobAddress(value: string): void {
  if (!isBlobAddress(value)) throw new InvalidError(`not a blob address: ${JSON.stringify(value)}`, 'address');
}
