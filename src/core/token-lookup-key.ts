// The Bearer look-up key lives in the catalog, encrypted under the keyring, so that rotating
// encryption keys re-encrypts it but never changes it (stored token HMACs stay valid).
import { settings, type Db } from '../catalog/index.js';
import type { Keyring } from './secrets/keyring.js';
import { newLookupKey } from './secrets/tokens.js';

const SETTING = 'token_lookup_key';
const AAD = 'settings:token_lookup_key';

export async function loadTokenLookupKey(db: Db, keyring: Keyring): Promise<Buffer> {
  const proposed = keyring.encrypt(newLookupKey(), AAD);
  const stored = await settings.initSetting(db, SETTING, proposed);
  return keyring.decrypt(stored, AAD);
}

/** Re-encrypts the look-up key under the keyring's current key. */
export async function reencryptTokenLookupKey(db: Db, keyring: Keyring): Promise<void> {
  const key = await loadTokenLookupKey(db, keyring);
  await settings.putSetting(db, SETTING, keyring.encrypt(key, AAD));
}
