// Password hashing with scrypt from node:crypto (memory-hard, no native dependency).
// Stored form: `scrypt$N$r$p$<salt b64url>$<hash b64url>`, so the cost can be raised later
// and old hashes still verify with the parameters they were made with.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const COST = { N: 2 ** 15, r: 8, p: 1 };
const SALT_BYTES = 16;
const HASH_BYTES = 32;
// Bounds for parameters read back from storage, so a corrupt row cannot ask for gigabytes.
const MAX_N = 2 ** 20;
const MAX_R = 32;
const MAX_P = 16;

// scrypt needs 128 * N * r bytes; the default maxmem (32 MiB) is exactly N=2^15, r=8, and
// Node refuses at the boundary, so give it room.
const memoryFor = (N: number, r: number): number => 128 * N * r + 16 * 1024 * 1024;

function derive(password: string, salt: Buffer, N: number, r: number, p: number, length: number): Promise<Buffer> {
  const options: ScryptOptions = { N, r, p, maxmem: memoryFor(N, r) };
  return new Promise((resolve, reject) => {
    // NFC: the same password typed on two keyboards may arrive in two Unicode forms.
    scrypt(password.normalize('NFC'), salt, length, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export interface ScryptCost {
  N: number;
  r: number;
  p: number;
}

/** `cost` defaults to Trove's; a lower one is for tests, which log in hundreds of times. */
export async function hashPassword(password: string, cost: ScryptCost = COST): Promise<string> {
  const { N, r, p } = cost;
  const salt = randomBytes(SALT_BYTES);
  const hash = await derive(password, salt, N, r, p, HASH_BYTES);
  return ['scrypt', N, r, p, salt.toString('base64url'), hash.toString('base64url')].join('$');
}

interface StoredHash {
  N: number;
  r: number;
  p: number;
  salt: Buffer;
  hash: Buffer;
}

function parseStored(stored: string): StoredHash | undefined {
  const match = /^scrypt\$(\d{1,8})\$(\d{1,3})\$(\d{1,3})\$([A-Za-z0-9_-]{16,})\$([A-Za-z0-9_-]{16,})$/.exec(stored);
  if (!match) return undefined;
  const [N, r, p] = [match[1], match[2], match[3]].map(Number) as [number, number, number];
  const salt = Buffer.from(match[4] as string, 'base64url');
  const hash = Buffer.from(match[5] as string, 'base64url');
  const sane = N > 1 && N <= MAX_N && (N & (N - 1)) === 0 && r >= 1 && r <= MAX_R && p >= 1 && p <= MAX_P;
  return sane && hash.length >= 16 && hash.length <= 64 ? { N, r, p, salt, hash } : undefined;
}

/** False for a wrong password and for a stored value that is not a hash we can read. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = typeof stored === 'string' && typeof password === 'string' ? parseStored(stored) : undefined;
  if (!parsed) return false;
  const candidate = await derive(password, parsed.salt, parsed.N, parsed.r, parsed.p, parsed.hash.length);
  return timingSafeEqual(candidate, parsed.hash);
}

/** True when a hash was made with weaker parameters than today's: rehash on next login. */
export function passwordNeedsRehash(stored: string): boolean {
  const parsed = parseStored(stored);
  return !parsed || parsed.N < COST.N || parsed.r < COST.r || parsed.hash.length < HASH_BYTES;
}
