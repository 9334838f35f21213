import { randomBytes } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { loadConfig } from '../../../src/config.js';
import { Keyring, KeyringError, keyIdOf, loadOrCreateEmbeddedKey } from '../../../src/core/secrets/keyring.js';

const key = (fill: number): Buffer => Buffer.alloc(32, fill);

t.test('round trip of strings, buffers and the empty string', async (t) => {
  const ring = new Keyring(key(1));
  for (const plain of ['hello', '', 'ünïcode ✓', randomBytes(1000)]) {
    const ct = ring.encrypt(plain);
    t.same(ring.decrypt(ct), Buffer.from(plain));
  }
  t.equal(ring.decryptText(ring.encrypt('secret')), 'secret');
});

t.test('ciphertext format names the key and uses a fresh IV each time', async (t) => {
  const ring = new Keyring(key(1));
  const ct = ring.encrypt('same');
  const expectedId = keyIdOf(key(1));
  t.match(expectedId, /^[0-9a-f]{8}$/);
  t.match(ct, new RegExp(`^v1\\.${expectedId}\\.[A-Za-z0-9_-]{16}\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{22}$`));
  t.equal(ring.currentKeyId, expectedId);
  t.not(ring.encrypt('same'), ct, 'random IV: same plaintext, different ciphertext');
  t.notMatch(ct, Buffer.from('same').toString('base64url'));
});

t.test('tampering with any part fails authentication', async (t) => {
  const ring = new Keyring(key(1));
  const ct = ring.encrypt('the secret value');
  const parts = ct.split('.');
  for (const index of [2, 3, 4]) {
    const bytes = Buffer.from(parts[index] as string, 'base64url');
    bytes[0] = (bytes[0] as number) ^ 1;
    const tampered = parts.map((p, i) => (i === index ? bytes.toString('base64url') : p)).join('.');
    t.throws(() => ring.decrypt(tampered), KeyringError, `part ${index}`);
  }
  const truncatedTag = [...parts.slice(0, 4), (parts[4] as string).slice(0, 6)].join('.');
  t.throws(() => ring.decrypt(truncatedTag), { message: /not a Trove ciphertext/ }, 'short tags are refused');
  for (const junk of ['', 'v1', 'v2.' + parts.slice(1).join('.'), ct + '.x', 'plain text']) {
    t.throws(() => ring.decrypt(junk), { name: 'KeyringError', message: /not a Trove ciphertext/ }, JSON.stringify(junk));
  }
});

t.test('associated data binds a ciphertext to its row', async (t) => {
  const ring = new Keyring(key(1));
  const ct = ring.encrypt('s3 secret', 'TKAAAAAAAAAAAAAAAAAA');
  t.equal(ring.decryptText(ct, 'TKAAAAAAAAAAAAAAAAAA'), 's3 secret');
  t.throws(() => ring.decrypt(ct, 'TKBBBBBBBBBBBBBBBBBB'), { message: /failed authentication/ });
  t.throws(() => ring.decrypt(ct), KeyringError, 'missing associated data');
  t.throws(() => ring.decrypt(ring.encrypt('x'), 'unexpected'), KeyringError, 'unexpected associated data');
});

t.test('rotation: previous keys decrypt, only the current key encrypts', async (t) => {
  const oldRing = new Keyring(key(1));
  const oldCt = oldRing.encrypt('rotate me', 'row-1');
  const ring = new Keyring(key(2), [key(1)]);
  t.equal(ring.decryptText(oldCt, 'row-1'), 'rotate me');
  t.equal(ring.needsRotation(oldCt), true);
  const newCt = ring.encrypt('fresh');
  t.equal(ring.needsRotation(newCt), false);
  t.match(newCt, `v1.${keyIdOf(key(2))}.`);
  const rotated = ring.rotate(oldCt, 'row-1');
  t.equal(ring.needsRotation(rotated), false);
  t.equal(ring.decryptText(rotated, 'row-1'), 'rotate me');
  t.equal(ring.rotate(rotated, 'row-1'), rotated, 'already current: unchanged');
  t.throws(() => new Keyring(key(3)).decrypt(oldCt, 'row-1'), { message: new RegExp(`key ${keyIdOf(key(1))}.*TROVE_ENCRYPTION_PREVIOUS_KEYS`) });
});

t.test('keys must be 32 bytes', async (t) => {
  t.throws(() => new Keyring(Buffer.alloc(16)), { message: /must be 32 bytes, got 16/ });
  t.throws(() => new Keyring(key(1), [Buffer.alloc(31)]), { message: /previous encryption key #1/ });
  t.doesNotThrow(() => new Keyring(key(1), [key(1)]), 'the current key repeated among previous keys is harmless');
});

t.test('the keyring keeps its own copy of the key', async (t) => {
  const k = key(5);
  const ring = new Keyring(k);
  const ct = ring.encrypt('x');
  k.fill(0);
  t.equal(ring.decryptText(ct), 'x');
});

t.test('embedded key: created once with mode 0600, then reused', async (t) => {
  const dir = join(t.testdir(), 'nested', 'data');
  const first = await loadOrCreateEmbeddedKey(dir);
  t.equal(first.length, 32);
  const file = join(dir, 'encryption.key');
  t.equal((await stat(file)).mode & 0o777, 0o600);
  t.same(Buffer.from((await readFile(file, 'utf8')).trim(), 'base64'), first);
  t.same(await loadOrCreateEmbeddedKey(dir), first);
});

t.test('embedded key: concurrent starters agree on one key', async (t) => {
  const dir = t.testdir();
  const keys = await Promise.all(Array.from({ length: 8 }, () => loadOrCreateEmbeddedKey(dir)));
  for (const k of keys) t.same(k, keys[0]);
  t.same(await readdir(dir), ['encryption.key'], 'no temporary files left behind');
});

t.test('embedded key: a corrupt file is an error, not a new key', async (t) => {
  const dir = t.testdir({ 'encryption.key': 'not a key\n' });
  await t.rejects(loadOrCreateEmbeddedKey(dir), { name: 'KeyringError', message: /does not hold a 32-byte base64 key/ });
});

t.test('Keyring.fromConfig', async (t) => {
  t.test('embedded catalog without a key uses the key file', async (t) => {
    const dir = t.testdir();
    const ring = await Keyring.fromConfig(loadConfig(['--data-dir', dir], {}));
    t.equal(ring.currentKeyId, keyIdOf(await loadOrCreateEmbeddedKey(dir)));
  });
  t.test('a configured key wins; a leftover key file still decrypts', async (t) => {
    const dir = t.testdir();
    const fileRing = await Keyring.fromConfig(loadConfig(['--data-dir', dir], {}));
    const oldCt = fileRing.encrypt('from before');
    const config = loadConfig(['--data-dir', dir], { TROVE_ENCRYPTION_KEY: key(4).toString('base64') });
    const ring = await Keyring.fromConfig(config);
    t.equal(ring.currentKeyId, keyIdOf(key(4)));
    t.equal(ring.decryptText(oldCt), 'from before');
    t.equal(ring.needsRotation(oldCt), true);
  });
  t.test('postgres uses the configured key and creates no file', async (t) => {
    const dir = t.testdir();
    const env = { TROVE_DATABASE_URL: 'postgres://h/db', TROVE_ENCRYPTION_KEY: key(6).toString('base64') };
    const ring = await Keyring.fromConfig(loadConfig(['--data-dir', dir], env));
    t.equal(ring.currentKeyId, keyIdOf(key(6)));
    await t.rejects(stat(join(dir, 'encryption.key')), { code: 'ENOENT' });
  });
  t.test('previous keys from the config decrypt', async (t) => {
    const old = new Keyring(key(7)).encrypt('old');
    const env = { TROVE_ENCRYPTION_KEY: key(8).toString('base64'), TROVE_ENCRYPTION_PREVIOUS_KEYS: key(7).toString('base64') };
    const ring = await Keyring.fromConfig(loadConfig(['--data-dir', t.testdir()], env));
    t.equal(ring.decryptText(old), 'old');
  });
  t.end();
});

t.test('several previous keys each decrypt their own ciphertexts', async (t) => {
  const ring = new Keyring(key(1), [key(2), key(3)]);
  for (const k of [key(2), key(3)]) t.equal(ring.decryptText(new Keyring(k).encrypt('ok')), 'ok');
});

t.test('two distinct keys with one key id are refused', async (t) => {
  // A 32-bit id collides after ~2^16 keys (birthday bound): cheap enough to find for real.
  const seen = new Map<string, Buffer>();
  let pair: [Buffer, Buffer] | undefined;
  for (let i = 0; !pair; i++) {
    const k = Buffer.alloc(32);
    k.writeUInt32BE(i);
    const other = seen.get(keyIdOf(k));
    if (other) pair = [other, k];
    else seen.set(keyIdOf(k), k);
  }
  t.throws(() => new Keyring(pair[0], [pair[1]]), { message: /share the key id/ });
});
