import t from 'tap';
import { hashPassword, passwordNeedsRehash, verifyPassword } from '../../../src/core/secrets/passwords.js';

t.test('hash format and verification', async (t) => {
  const stored = await hashPassword('correct horse battery staple');
  t.match(stored, /^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
  t.equal(await verifyPassword('correct horse battery staple', stored), true);
  t.equal(await verifyPassword('correct horse battery stapler', stored), false);
  t.equal(await verifyPassword('', stored), false);
  t.not(await hashPassword('correct horse battery staple'), stored, 'fresh salt every time');
  t.equal(passwordNeedsRehash(stored), false);
});

t.test('unicode forms of one password verify alike', async (t) => {
  const stored = await hashPassword('caf\u00e9');
  t.equal(await verifyPassword('cafe\u0301', stored), true);
});

t.test('malformed stored values return false, never throw', async (t) => {
  const good = await hashPassword('pw');
  const [, , , , salt, hash] = good.split('$');
  const malformed = [
    '',
    'pw',
    'bcrypt$2b$10$abc',
    good.replace('scrypt$', 'scrypt2$'),
    good + '$extra',
    `scrypt$32767$8$1$${salt}$${hash}`, // N not a power of two
    `scrypt$1073741824$8$1$${salt}$${hash}`, // N far too large: must not allocate gigabytes
    `scrypt$2097152$8$1$${salt}$${hash}`, // 2^21: over the cap
    `scrypt$32768$0$1$${salt}$${hash}`,
    `scrypt$32768$8$1$${salt}$`,
    `scrypt$32768$8$1$${salt}$${hash}!`,
    `scrypt$32768$8$1$$${hash}`,
  ];
  for (const stored of malformed) {
    t.equal(await verifyPassword('pw', stored), false, JSON.stringify(stored));
    t.equal(passwordNeedsRehash(stored), true);
  }
  // Values from a database can be anything at run time.
  t.equal(await verifyPassword('pw', null as unknown as string), false);
  t.equal(await verifyPassword(undefined as unknown as string, good), false);
});

t.test('hashes made with other parameters still verify, and ask for a rehash', async (t) => {
  const { scryptSync, randomBytes } = await import('node:crypto');
  const salt = randomBytes(16);
  const hash = scryptSync('pw', salt, 32, { N: 1024, r: 8, p: 1 });
  const weak = `scrypt$1024$8$1$${salt.toString('base64url')}$${hash.toString('base64url')}`;
  t.equal(await verifyPassword('pw', weak), true);
  t.equal(await verifyPassword('px', weak), false);
  t.equal(passwordNeedsRehash(weak), true);
});
