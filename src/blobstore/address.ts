// Physical blob addresses: random, opaque, never derived from object keys, so two writes of
// one key never collide and a blob can be shared by many entries.
//
// One fan-out level, `ab/abcd…`: 256 directories, so that putting into a new directory (a mkdir
// and an fsync of its parent besides the put's own) happens 256 times in a store's life rather
// than for most puts until tens of thousands of directories exist, as with two levels. At ten
// million blobs each holds about 40,000, which directory indexes handle well. Stores written
// before kept two levels, `ab/cd/abcd…`; those addresses stay valid wherever a catalog names them.
import { randomBytes } from 'node:crypto';
import { InvalidError } from '../errors.js';

const ADDRESS = /^[0-9a-f]{2}\/[0-9a-f]{32}$/;
const TWO_LEVEL_ADDRESS = /^[0-9a-f]{2}\/[0-9a-f]{2}\/[0-9a-f]{32}$/;

/** `ab/abcd…` (32 hex digits of randomness, the first two repeated as the directory). */
export function newBlobAddress(): string {
  const id = randomBytes(16).toString('hex');
  return `${id.slice(0, 2)}/${id}`;
}

/** True for addresses this module generates or generated; stores ignore anything else they find. */
export function isBlobAddress(value: string): boolean {
  if (ADDRESS.test(value)) return value.startsWith(value.slice(3, 5));
  if (!TWO_LEVEL_ADDRESS.test(value)) return false;
  const [a, b, id] = value.split('/') as [string, string, string];
  return id.startsWith(a + b);
}

/** Guards every path or key built from an address (no traversal, no foreign keys). */
export function assertBlobAddress(value: string): void {
  if (!isBlobAddress(value)) throw new InvalidError(`not a blob address: ${JSON.stringify(value)}`, 'address');
}
