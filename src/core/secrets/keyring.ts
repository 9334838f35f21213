// Envelope encryption for secrets the catalog must be able to read back (S3 secrets for
// SigV4, connector credentials, the token lookup key): AES-256-GCM under keys from the
// configuration. Ciphertext: `v1.<keyId>.<iv>.<ct>.<tag>` (base64url parts), keyId = the
// first 8 hex digits of sha256(key), so a ciphertext names the key that opens it. The
// current key encrypts; previous keys only decrypt, until a rotation re-encrypts.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { link, mkdir, open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from '../../config.js';

const VERSION = 'v1';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
export const EMBEDDED_KEY_FILE = 'encryption.key';

export class KeyringError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyringError';
  }
}

export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

interface Envelope {
  keyId: string;
  iv: Buffer;
  body: Buffer;
  tag: Buffer;
}

const B64URL = /^[A-Za-z0-9_-]*$/;

function parseEnvelope(ciphertext: string): Envelope {
  const parts = ciphertext.split('.');
  const [version, keyId = '', iv = '', body = '', tag = ''] = parts;
  const wellFormed =
    parts.length === 5 && version === VERSION && /^[0-9a-f]{8}$/.test(keyId) && [iv, body, tag].every((p) => B64URL.test(p));
  const envelope = wellFormed
    ? { keyId, iv: Buffer.from(iv, 'base64url'), body: Buffer.from(body, 'base64url'), tag: Buffer.from(tag, 'base64url') }
    : undefined;
  // GCM accepts short tags; a short tag would make forgery cheap, so only full tags pass.
  if (!envelope || envelope.iv.length !== IV_BYTES || envelope.tag.length !== TAG_BYTES)
    throw new KeyringError('not a Trove ciphertext (expected v1.<keyId>.<iv>.<ct>.<tag>)');
  return envelope;
}

function checkKey(key: Buffer, what: string): Buffer {
  if (key.length !== KEY_BYTES) throw new KeyringError(`${what} must be ${KEY_BYTES} bytes, got ${key.length}`);
  return Buffer.from(key); // our own copy: the caller's buffer may be reused
}

export class Keyring {
  readonly currentKeyId: string;
  private readonly current: Buffer;
  private readonly keys = new Map<string, Buffer>();

  constructor(current: Buffer, previous: readonly Buffer[] = []) {
    this.current = checkKey(current, 'the encryption key');
    this.currentKeyId = keyIdOf(this.current);
    this.keys.set(this.currentKeyId, this.current);
    previous.forEach((key, i) => {
      const copy = checkKey(key, `previous encryption key #${i + 1}`);
      const id = keyIdOf(copy);
      const known = this.keys.get(id);
      if (known && !known.equals(copy)) throw new KeyringError(`two encryption keys share the key id ${id}; replace one of them`);
      this.keys.set(id, known ?? copy);
    });
  }

  /**
   * The configured key, or the embedded key file (created on first start) when the catalog
   * is embedded. An embedded key file left over from before TROVE_ENCRYPTION_KEY was set
   * stays usable for decryption, so switching to an explicit key loses nothing.
   */
  static async fromConfig(config: Pick<Config, 'dataDir' | 'catalog' | 'encryption'>): Promise<Keyring> {
    const { key, previousKeys } = config.encryption;
    if (key) {
      const leftover = config.catalog.kind === 'pglite' ? await readKeyFile(join(config.dataDir, EMBEDDED_KEY_FILE)) : undefined;
      return new Keyring(key, leftover ? [...previousKeys, leftover] : previousKeys);
    }
    if (config.catalog.kind !== 'pglite') throw new KeyringError('TROVE_ENCRYPTION_KEY is required with TROVE_DATABASE_URL');
    return new Keyring(await loadOrCreateEmbeddedKey(config.dataDir), previousKeys);
  }

  /** associatedData binds the ciphertext to its context (e.g. the row's access key id). */
  encrypt(plaintext: string | Buffer, associatedData?: string | Buffer): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.current, iv, { authTagLength: TAG_BYTES });
    if (associatedData !== undefined) cipher.setAAD(Buffer.from(associatedData));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    const parts = [iv, body, cipher.getAuthTag()].map((b) => b.toString('base64url'));
    return [VERSION, this.currentKeyId, ...parts].join('.');
  }

  /** Throws KeyringError if the ciphertext is malformed, tampered, from an unknown key, or the associated data differs. */
  decrypt(ciphertext: string, associatedData?: string | Buffer): Buffer {
    const { keyId, iv, body, tag } = parseEnvelope(ciphertext);
    const key = this.keys.get(keyId);
    if (!key)
      throw new KeyringError(
        `ciphertext was encrypted with key ${keyId}, which is neither the current key nor in TROVE_ENCRYPTION_PREVIOUS_KEYS`,
      );
    const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    decipher.setAuthTag(tag);
    if (associatedData !== undefined) decipher.setAAD(Buffer.from(associatedData));
    try {
      return Buffer.concat([decipher.update(body), decipher.final()]);
    } catch {
      throw new KeyringError('ciphertext failed authentication (tampered, or bound to other associated data)');
    }
  }

  decryptText(ciphertext: string, associatedData?: string | Buffer): string {
    return this.decrypt(ciphertext, associatedData).toString('utf8');
  }

  /** True when the ciphertext was made with a previous key and should be re-encrypted. */
  needsRotation(ciphertext: string): boolean {
    return parseEnvelope(ciphertext).keyId !== this.currentKeyId;
  }

  /** The same plaintext under the current key (the input itself if already current). */
  rotate(ciphertext: string, associatedData?: string | Buffer): string {
    return this.needsRotation(ciphertext) ? this.encrypt(this.decrypt(ciphertext, associatedData), associatedData) : ciphertext;
  }
}

async function readKeyFile(file: string): Promise<Buffer | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== KEY_BYTES || !/^[A-Za-z0-9+/]+=*$/.test(text.trim()))
    throw new KeyringError(`${file} does not hold a ${KEY_BYTES}-byte base64 key; restore it from a backup`);
  return key;
}

/**
 * Reads `<dataDir>/encryption.key`, creating it on first start. The key is written in full
 * to a private temporary file (O_EXCL, mode 0600) and then hard-linked into place: link()
 * fails if the name exists, so of two processes starting at once exactly one key wins and
 * nobody can ever read a half-written file. The loser reads the winner's key.
 */
export async function loadOrCreateEmbeddedKey(dataDir: string): Promise<Buffer> {
  const file = join(dataDir, EMBEDDED_KEY_FILE);
  const existing = await readKeyFile(file);
  if (existing) return existing;
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const temp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(temp, 'wx', 0o600);
  try {
    await handle.writeFile(`${randomBytes(KEY_BYTES).toString('base64')}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await link(temp, file);
    await syncDir(dataDir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    await unlink(temp);
  }
  const key = await readKeyFile(file);
  if (!key) throw new KeyringError(`${file} vanished while it was being created`);
  return key;
}

// Makes the new directory entry durable: losing the key file after a crash would make
// every stored secret unreadable.
async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r').catch(() => undefined);
  if (!handle) return;
  await handle.sync().catch(() => undefined);
  await handle.close();
}
