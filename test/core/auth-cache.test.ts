// The per-process cache of keys, organizations and grants: kept only while the catalog's
// change notifications are heard, emptied by every change to the tables behind it, whoever
// makes the change — this process, or another connection standing in for another process.
import { S3Client, ListBucketsCommand } from '@aws-sdk/client-s3';
import pg from 'pg';
import t from 'tap';
import { AuthCache } from '../../src/core/auth-cache.js';
import { buildTestApp } from '../helpers/app.js';
import { forEachCatalog } from '../helpers/catalog.js';

const until = async (ok: () => boolean): Promise<void> => {
  while (!ok()) await new Promise((r) => setTimeout(r, 5));
};

forEachCatalog(t, 'values are shared until a change notification empties the cache', async (t, db) => {
  const cache = await AuthCache.attach(db);
  t.teardown(() => cache.close());
  let loads = 0;
  const load = async () => ++loads;
  t.equal(await cache.get('k', load), 1);
  t.equal(await cache.get('k', load), 1, 'a hit does not load');
  await Promise.all([cache.get('other', load), cache.get('other', load)]);
  t.equal(loads, 2, 'concurrent misses share one load');
  const heard = cache.notifications;
  await db.query(`UPDATE policies SET description = description WHERE false`);
  await until(() => cache.notifications > heard);
  t.equal(await cache.get('k', load), 3, 'a change to a watched table empties the cache');
  await db.query(`UPDATE api_keys SET last_used_at = now() WHERE false`);
  t.equal(await cache.get('k', load), 3, 'last-used bookkeeping is not a change');
});

forEachCatalog(t, 'failures are not kept; entries expire; the size is bounded', async (t, db) => {
  const cache = await AuthCache.attach(db);
  t.teardown(() => cache.close());
  await t.rejects(cache.get('bad', () => Promise.reject(new Error('boom'))), { message: 'boom' });
  t.equal(await cache.get('bad', async () => 'fine'), 'fine', 'a failed load is not cached');

  const short = new AuthCache(1, 2);
  await (short as unknown as { onEvent(e: { kind: 'ready' }): void }).onEvent({ kind: 'ready' });
  let loads = 0;
  await short.get('a', async () => ++loads);
  await new Promise((r) => setTimeout(r, 5));
  await short.get('a', async () => ++loads);
  t.equal(loads, 2, 'an expired entry is loaded again');
  t.equal(short.due('x', 60_000), true);
  t.equal(short.due('x', 60_000), false, 'due() is true once per interval');
});

t.test('a disabled cache caches nothing', async (t) => {
  const cache = AuthCache.disabled();
  let loads = 0;
  await cache.get('k', async () => ++loads);
  await cache.get('k', async () => ++loads);
  t.equal(loads, 2);
});

const url = process.env.TEST_DATABASE_URL;
t.test('PostgreSQL: while the listening connection is down nothing is cached, and it comes back', { skip: !url && 'needs TEST_DATABASE_URL' }, async (t) => {
  const { openPostgresSchema } = await import('../helpers/catalog.js');
  const db = await openPostgresSchema(url!);
  t.teardown(() => db.close());
  const cache = await AuthCache.attach(db);
  t.teardown(() => cache.close());
  let loads = 0;
  await cache.get('k', async () => ++loads);
  await cache.get('k', async () => ++loads);
  t.equal(loads, 1);
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  t.teardown(() => admin.end());
  // Cut every listener of this process's channel (other test files may listen too: they reconnect).
  await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'trove-listen-trove_auth_changed'`);
  await until(() => !(cache as unknown as { live: boolean }).live);
  await cache.get('k', async () => ++loads);
  await cache.get('k', async () => ++loads);
  t.equal(loads, 3, 'no caching while notifications could be missed');
  await until(() => (cache as unknown as { live: boolean }).live);
  await cache.get('k', async () => ++loads);
  await cache.get('k', async () => ++loads);
  t.equal(loads, 4, 'caching again once listening again');
});

forEachCatalog(t, 'a revoked key is refused at once, whoever revoked it', async (t, db) => {
  const { app, services, auth } = await buildTestApp(t, db);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const endpoint = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  const newKey = async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/auth/keys', headers: auth, payload: { name: 'k' } });
    return res.json() as { id: string; token: string };
  };
  const s3 = (key: { id: string; token: string }) => new S3Client({
    endpoint, region: 'us-east-1', forcePathStyle: true, maxAttempts: 1, credentials: { accessKeyId: key.id, secretAccessKey: key.token },
  });

  const first = await newKey();
  await s3(first).send(new ListBucketsCommand({}));
  const res = await app.inject({ method: 'DELETE', url: `/api/v1/auth/keys/${first.id}`, headers: auth });
  t.equal(res.statusCode, 204);
  await t.rejects(s3(first).send(new ListBucketsCommand({})), { name: 'InvalidAccessKeyId' }, 'refused by the process that revoked it');

  // Another process revokes: here, another connection that bypasses Trove's code entirely.
  const second = await newKey();
  await s3(second).send(new ListBucketsCommand({}));
  const heard = services.authCache.notifications;
  if (db.kind === 'postgres') {
    const other = new pg.Client({ connectionString: url });
    await other.connect();
    const { rows } = await db.query<{ search_path: string }>('SHOW search_path');
    await other.query(`SET search_path TO ${rows[0]!.search_path}`);
    await other.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1', [second.id]);
    await other.end();
  } else {
    await db.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1', [second.id]);
  }
  await until(() => services.authCache.notifications > heard);
  await t.rejects(s3(second).send(new ListBucketsCommand({})), { name: 'InvalidAccessKeyId' }, 'refused once the change is heard');
});
