// Garbage collection against the real catalog and filesystem store: a blob goes only when no
// entry (of any commit), staged change or upload names it any more.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import t from 'tap';
import { FsBlobStore } from '../../src/blobstore/fs-store.js';
import { commitSession, sessions, uploads, type ObjectData } from '../../src/catalog/index.js';
import { collectBlobGarbage } from '../../src/core/gc.js';
import { AuthCache } from '../../src/core/auth-cache.js';
import { HeadCache } from '../../src/core/head-cache.js';
import type { Services } from '../../src/core/services.js';
import { Keyring } from '../../src/core/secrets/keyring.js';
import { forEachBackend } from '../helpers/catalog.js';
import { newRepository } from '../catalog/fixtures.js';

forEachBackend(t, 'gc keeps every referenced blob and deletes the rest', async (t, db) => {
  const blobs = await FsBlobStore.open(await mkdtemp(join(tmpdir(), 'trove-gc-')));
  t.teardown(() => blobs.close());
  const services: Services = { db, blobs, keyring: new Keyring(Buffer.alloc(32, 1)), tokenLookupKey: Buffer.alloc(32), authCache: AuthCache.disabled(), headCache: HeadCache.disabled() };
  const put = async (text: string): Promise<ObjectData> => {
    const r = await blobs.put(Readable.from([Buffer.from(text)]));
    return { address: r.address, size: r.size, etag: r.md5Hex, contentType: 'text/plain', userMetadata: {}, httpHeaders: {}, checksums: {}, sourceMetadata: null };
  };
  const repo = await newRepository(db);
  const [old, replaced, staged, rolledBack, orphan, part, aborted] = await Promise.all(
    ['old', 'new', 'staged', 'rolled back', 'orphan', 'part', 'aborted part'].map(put));

  const s1 = await sessions.openSession(db, repo.id);
  await sessions.stagePut(db, s1.id, 'p', old!);
  await commitSession(db, s1.id, { message: 'v1' });
  const s2 = await sessions.openSession(db, repo.id);
  await sessions.stagePut(db, s2.id, 'p', replaced!);
  await commitSession(db, s2.id, { message: 'v2' });
  const open = await sessions.openSession(db, repo.id);
  await sessions.stagePut(db, open.id, 'q', staged!);
  const dropped = await sessions.openSession(db, repo.id);
  await sessions.stagePut(db, dropped.id, 'r', rolledBack!);
  await sessions.rollbackSession(db, dropped.id);
  const base = { repoId: repo.id, sessionId: null, path: 'big', contentType: null, userMetadata: {}, httpHeaders: {}, checksumAlgorithm: null, plannedAddress: null, ownerId: null };
  const live = await uploads.createUpload(db, base);
  await uploads.putPart(db, live.id, { partNumber: 1, address: part!.address, size: part!.size, etag: part!.etag, checksums: {} });
  const gone = await uploads.createUpload(db, base);
  await uploads.putPart(db, gone.id, { partNumber: 1, address: aborted!.address, size: aborted!.size, etag: aborted!.etag, checksums: {} });
  await uploads.abortUpload(db, repo.id, 'big', gone.id);

  // Blobs of other tests may share the catalog but not this store: only ours are scanned.
  const young = await collectBlobGarbage(services, 3600_000);
  t.equal(young.deleted, 0, 'nothing younger than the grace period is collected');
  const stats = await collectBlobGarbage(services, 0);
  t.equal(stats.deleted, 3, 'the orphan, the rolled-back and the aborted part');
  for (const kept of [old, replaced, staged, part]) t.ok(await blobs.stat(kept!.address), 'a referenced blob is kept');
  for (const lost of [orphan, rolledBack, aborted]) t.equal(await blobs.stat(lost!.address), null, 'an unreferenced blob is deleted');
});
