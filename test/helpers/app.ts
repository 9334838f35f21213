// Builds the real app on a catalog backend and a filesystem blob store in a temp dir, with a
// bootstrapped admin whose credentials are returned. Closed on the test's teardown.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Test } from 'tap';
import { buildApp, type AppOptions } from '../../src/app.js';
import { FsBlobStore } from '../../src/blobstore/fs-store.js';
import type { Db } from '../../src/catalog/index.js';
import { AuthCache } from '../../src/core/auth-cache.js';
import { HeadCache } from '../../src/core/head-cache.js';
import { bootstrap } from '../../src/core/bootstrap.js';
import { Keyring } from '../../src/core/secrets/keyring.js';
import type { Services } from '../../src/core/services.js';
import { loadTokenLookupKey } from '../../src/core/token-lookup-key.js';

export interface TestApp {
  app: FastifyInstance;
  services: Services;
  admin: { accessKeyId: string; secret: string };
  /** Authorization header for the admin's Bearer token. */
  auth: { authorization: string };
}

/** `shareBlobsWith`: a second gateway on the same catalog and blob store (as several processes run). */
export async function buildTestApp(
  t: Test,
  db: Db,
  opts: Pick<AppOptions, 'rateLimitPerMinute' | 'loginLimits' | 's3Region'> & { shareBlobsWith?: TestApp } = {},
): Promise<TestApp> {
  const dir = await mkdtemp(join(tmpdir(), 'trove-test-'));
  const blobs = opts.shareBlobsWith?.services.blobs ?? (await FsBlobStore.open(dir));
  // One fixed key: the catalog may be shared by several test apps in one file.
  const keyring = new Keyring(Buffer.alloc(32, 7));
  const authCache = await AuthCache.attach(db);
  const headCache = await HeadCache.attach(db);
  const services: Services = { db, blobs, keyring, tokenLookupKey: await loadTokenLookupKey(db, keyring), authCache, headCache };
  // Each test app has an admin key of its own (bootstrap only makes one on an empty catalog).
  const admin = { accessKeyId: `TKTEST${randomBytes(7).toString('hex').toUpperCase()}`, secret: `tuk-${randomBytes(24).toString('hex')}` };
  await bootstrap(services, { accessKeyId: admin.accessKeyId, secretAccessKey: admin.secret });
  const { shareBlobsWith: _shared, ...appOptions } = opts;
  const app = await buildApp({ services, ...appOptions });
  t.teardown(async () => {
    await app.close();
    await authCache.close();
    await headCache.close();
    if (!opts.shareBlobsWith) await blobs.close();
    await rm(dir, { recursive: true, force: true });
  });
  return { app, services, admin, auth: { authorization: `Bearer ${admin.secret}` } };
}
