// What every core service works with: the catalog, the blob store and the secrets.
// Built once at start-up (main.ts, the CLI, tests) and passed down; no globals.
import type { BlobStore } from '../blobstore/blob-store.js';
import type { Db } from '../catalog/index.js';
import type { AuthCache } from './auth-cache.js';
import type { HeadCache } from './head-cache.js';
import type { Keyring } from './secrets/keyring.js';

export interface Services {
  db: Db;
  blobs: BlobStore;
  keyring: Keyring;
  /** The HMAC key for Bearer token look-up, kept in the catalog encrypted under the keyring. */
  tokenLookupKey: Buffer;
  /** Keys, principals, memberships and grants as every request reads them (auth-cache.ts). */
  authCache: AuthCache;
  /** On the embedded catalog, repositories and their latest entries as reads find them (head-cache.ts). */
  headCache: HeadCache;
}
