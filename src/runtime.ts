// Opens what a Trove process needs from its Config: the data directory lock (embedded
// catalog only: PGlite does not lock its directory), the keyring, the catalog, the blob
// store and the token look-up key. Shared by `trove serve` and the other CLI commands.
import { openBlobStore } from './blobstore/open.js';
import { openCatalog } from './catalog/index.js';
import type { Config } from './config.js';
import type { Services } from './core/services.js';
import { AuthCache } from './core/auth-cache.js';
import { HeadCache } from './core/head-cache.js';
import { Keyring } from './core/secrets/keyring.js';
import { loadTokenLookupKey } from './core/token-lookup-key.js';
import { ensureDataDir, lockDataDir, type DataDirLock } from './datadir.js';

export interface Runtime {
  services: Services;
  close(): Promise<void>;
}

export async function openRuntime(config: Config): Promise<Runtime> {
  const embedded = config.catalog.kind === 'pglite';
  const closers: Array<() => Promise<void>> = [];
  const close = async () => {
    for (const fn of closers.reverse()) await fn().catch(() => {});
  };
  try {
    if (embedded || config.blobStore.kind === 'fs' || !config.encryption.key) await ensureDataDir(config.dataDir);
    let lock: DataDirLock | null = null;
    if (embedded) {
      lock = await lockDataDir(config.dataDir);
      closers.push(() => lock!.release());
    }
    const keyring = await Keyring.fromConfig(config);
    const db = await openCatalog(
      config.catalog.kind === 'postgres' ? { databaseUrl: config.catalog.url } : { pgliteDir: config.catalog.dir },
    );
    closers.push(() => db.close());
    const blobs = await openBlobStore(config.blobStore);
    closers.push(() => blobs.close());
    const tokenLookupKey = await loadTokenLookupKey(db, keyring);
    const authCache = await AuthCache.attach(db);
    closers.push(() => authCache.close());
    const headCache = await HeadCache.attach(db);
    closers.push(() => headCache.close());
    return { services: { db, blobs, keyring, tokenLookupKey, authCache, headCache }, close };
  } catch (err) {
    await close();
    throw err;
  }
}
