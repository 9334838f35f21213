// Objects through REST (API-CONTRACT §2.6, §3.2, §3.3): reads at the latest commit, a ref or
// a session, with Range; HEAD; the upload flow with its checks; delete, copy, delete-many;
// listings across pages, with a delimiter, with staged status.
import t from 'tap';
import { forEachBackend } from '../helpers/catalog.js';
import { buildTestApp } from '../helpers/app.js';
import { allPages, commitFiles, createRepo, isError, memberWith, openSession, stage, unique } from './fixtures.js';

forEachBackend(t, 'reading objects: GET with Range, HEAD, at a ref, in a session', async (t, db) => {
  const env = await buildTestApp(t, db);
  const { app, auth } = env;
  const s = unique();
  const R = await createRepo(app, auth, `rd-${s}`);
  const sid = await openSession(app, R, auth);
  await stage(app, R, sid, 'doc.txt', '0123456789', auth, { content_type: 'text/plain', metadata: { owner: 'ann', team: 'data' } });
  t.equal((await app.inject({ method: 'POST', url: `${R}/sessions/${sid}`, headers: auth, payload: { message: 'one' } })).statusCode, 200);
  const first = (await app.inject({ method: 'GET', url: `${R}/log?amount=1`, headers: auth })).json().results[0].id;
  await commitFiles(app, R, auth, { 'doc.txt': 'changed' });

  let res = await app.inject({ method: 'GET', url: `${R}/object?path=doc.txt`, headers: auth });
  t.equal(res.statusCode, 200);
  t.equal(res.body, 'changed', 'the latest commit by default');
  t.notOk(res.headers['content-encoding'], 'object bodies are never compressed');
  res = await app.inject({ method: 'GET', url: `${R}/object?path=doc.txt&ref=${first}`, headers: { ...auth, 'accept-encoding': 'gzip, deflate' } });
  t.equal(res.body, '0123456789', 'a ref reads that commit');
  t.notOk(res.headers['content-encoding']);
  res = await app.inject({ method: 'GET', url: `${R}/object?path=doc.txt&ref=${first.slice(0, 8)}`, headers: { ...auth, range: 'bytes=2-4' } });
  t.equal(res.statusCode, 206);
  t.equal(res.body, '234');
  t.equal(res.headers['content-range'], 'bytes 2-4/10');
  res = await app.inject({ method: 'GET', url: `${R}/object?path=doc.txt&ref=${first}`, headers: { ...auth, range: 'bytes=7-' } });
  t.equal(res.body, '789', 'an open-ended range');
  res = await app.inject({ method: 'GET', url: `${R}/object?path=doc.txt&ref=${first}`, headers: { ...auth, range: 'bytes=-2' } });
  t.equal(res.body, '89', 'a suffix range');
  isError(t, await app.inject({ method: 'GET', url: `${R}/object?path=doc.txt&ref=${first}`, headers: { ...auth, range: 'bytes=50-' } }), 416, 'BAD_REQUEST', 'a range past the end');

  res = await app.inject({ method: 'HEAD', url: `${R}/object?path=doc.txt&ref=${first}`, headers: auth });
  t.equal(res.statusCode, 200, 'HEAD answers itself');
  t.equal(res.body, '');
  t.equal(res.headers['content-length'], '10');
  t.equal(res.headers['content-type'], 'text/plain');
  t.match(res.headers.etag, /^"[0-9a-f]{32}"$/);
  t.equal(res.headers['x-tilde-meta-owner'], 'ann');
  t.equal(res.headers['x-tilde-meta-team'], 'data');
  t.equal((await app.inject({ method: 'HEAD', url: `${R}/object?path=nope.txt`, headers: auth })).statusCode, 404, 'HEAD of a missing object');

  isError(t, await app.inject({ method: 'GET', url: `${R}/object`, headers: auth }), 400, 'BAD_REQUEST', 'no path');
  isError(t, await app.inject({ method: 'GET', url: `${R}/object?path=`, headers: auth }), 400, 'BAD_REQUEST', 'an empty path');
  isError(t, await app.inject({ method: 'GET', url: `${R}/object?path=doc.txt&ref=${first}&session_id=${sid}`, headers: auth }), 400, 'BAD_REQUEST', 'ref and session_id together');
  isError(t, await app.inject({ method: 'GET', url: `${R}/object?path=doc.txt&session_id=nope`, headers: auth }), 400, 'BAD_REQUEST', 'a malformed session id');
  isError(t, await app.inject({ method: 'GET', url: `${R}/object?path=doc.txt&ref=${'0'.repeat(64)}`, headers: auth }), 404, 'NOT_FOUND', 'an unknown ref');
  isError(t, await app.inject({ method: 'GET', url: `${R}/object?path=missing.txt`, headers: auth }), 404, 'NOT_FOUND', 'a missing object');
  isError(t, await app.inject({ method: 'GET', url: `${R}/object?path=doc.txt&session_id=${sid}`, headers: auth }), 404, 'NOT_FOUND', 'a committed session');

  const deny = await memberWith(env, `deny-${s}`, 'GetRepository()\nListObjects()\nGetObject()\ndeny GetObject(path="doc*")\n');
  isError(t, await app.inject({ method: 'GET', url: `${R}/object?path=doc.txt`, headers: deny.auth }), 403, 'FORBIDDEN', 'a denied path');
  t.equal((await app.inject({ method: 'HEAD', url: `${R}/object?path=doc.txt`, headers: deny.auth })).statusCode, 403, 'HEAD uses GetObject too');
  isError(t, await app.inject({ method: 'GET', url: `${R}/object?path=doc.txt` }), 401, 'UNAUTHORIZED', 'a private repository without credentials');

  // Public repositories are readable without credentials.
  await app.inject({ method: 'PUT', url: R, headers: auth, payload: { visibility: 'public' } });
  t.equal((await app.inject({ method: 'GET', url: `${R}/object?path=doc.txt` })).body, 'changed', 'anonymous read of a public repository');
  isError(t, await app.inject({ method: 'POST', url: `${R}/sessions` }), 401, 'UNAUTHORIZED', 'but no anonymous write');
});

forEachBackend(t, 'the upload flow refuses what does not match, stages what does', async (t, db) => {
  const env = await buildTestApp(t, db);
  const { app, auth } = env;
  const s = unique();
  const R = await createRepo(app, auth, `up-${s}`);
  const sid = await openSession(app, R, auth);
  const q = `session_id=${sid}&path=data/x.bin`;
  isError(t, await app.inject({ method: 'PUT', url: `${R}/object?path=data/x.bin`, headers: auth }), 400, 'BAD_REQUEST', 'PUT /object without session_id');
  isError(t, await app.inject({ method: 'PUT', url: `${R}/object?session_id=${sid}`, headers: auth }), 400, 'BAD_REQUEST', 'PUT /object without path');
  const started = (await app.inject({ method: 'PUT', url: `${R}/object?${q}`, headers: auth })).json();
  const put = await app.inject({ method: 'PUT', url: new URL(started.upload_url).pathname, payload: 'bytes', headers: { 'content-type': 'application/octet-stream' } });
  const etag = (put.headers.etag as string).replaceAll('"', '');
  const finalize = (payload: unknown, query = q) => app.inject({ method: 'POST', url: `${R}/object/finalize?${query}`, headers: auth, payload: payload as Record<string, unknown> });
  isError(t, await finalize({}), 400, 'BAD_REQUEST', 'finalize without upload_token');
  isError(t, await finalize({ upload_token: 'forged.0.9999999999.sig' }), 400, 'BAD_REQUEST', 'a forged upload token');
  isError(t, await finalize({ upload_token: started.upload_token, checksum: '0'.repeat(32) }), 400, 'BAD_REQUEST', 'a checksum mismatch');
  isError(t, await finalize({ upload_token: started.upload_token, size_bytes: 99 }), 400, 'BAD_REQUEST', 'a size mismatch');
  isError(t, await finalize({ upload_token: started.upload_token, size_bytes: -1 }), 400, 'BAD_REQUEST', 'a negative size');
  isError(t, await finalize({ upload_token: started.upload_token }, `session_id=${sid}&path=data/other.bin`), 400, 'BAD_REQUEST', 'a token of another path');
  const res = await finalize({ upload_token: started.upload_token, checksum: etag, size_bytes: 5, content_type: 'application/x-thing', extra: 'ignored' });
  t.equal(res.statusCode, 201, res.body);
  t.same(res.json(), { path: 'data/x.bin', etag });
  const listed = (await app.inject({ method: 'GET', url: `${R}/objects?session_id=${sid}`, headers: auth })).json().results;
  t.match(listed, [{ path: 'data/x.bin', type: 'object', status: 'added', entry: { size: 5, e_tag: etag, content_type: 'application/x-thing' } }]);

  const other = await memberWith(env, `other-${s}`, 'GetRepository()\nCreateSession()\nPutObject()\n');
  isError(t, await app.inject({ method: 'PUT', url: `${R}/object?${q}`, headers: other.auth }), 403, 'FORBIDDEN', "writing into another's session");
  isError(t, await app.inject({ method: 'PUT', url: `${R}/object?session_id=00000000-0000-4000-8000-000000000000&path=a`, headers: auth }), 404, 'NOT_FOUND', 'an unknown session');
  const reader = await memberWith(env, `reader-${s}`, 'GetRepository()\nCreateSession()\n');
  const readerSession = await openSession(app, R, reader.auth);
  isError(t, await app.inject({ method: 'PUT', url: `${R}/object?session_id=${readerSession}&path=a`, headers: reader.auth }), 403, 'FORBIDDEN', 'without PutObject');
});

forEachBackend(t, 'delete, copy, delete-many, and listings', async (t, db) => {
  const env = await buildTestApp(t, db);
  const { app, auth } = env;
  const s = unique();
  const R = await createRepo(app, auth, `ls-${s}`);
  const files = Object.fromEntries(['a/1', 'a/2', 'a/3', 'b/1', 'b/x/1', 'c', 'd', 'e'].map((p) => [p, `body of ${p}`]));
  await commitFiles(app, R, auth, files);

  let pages = await allPages<{ path: string; type: string }>(t, app, `${R}/objects`, auth, 3);
  t.same(pages.results.map((e) => e.path), Object.keys(files), 'every object once, in path order');
  t.equal(pages.pages, 3);
  pages = await allPages<{ path: string; type: string }>(t, app, `${R}/objects?delimiter=/`, auth, 2);
  t.same(pages.results.map((e) => [e.path, e.type]), [['a/', 'prefix'], ['b/', 'prefix'], ['c', 'object'], ['d', 'object'], ['e', 'object']], 'common prefixes once each');
  t.ok(pages.pages >= 3, 'across pages');
  pages = await allPages<{ path: string; type: string }>(t, app, `${R}/objects?prefix=b/&delimiter=/`, auth, 1);
  t.same(pages.results.map((e) => e.path), ['b/1', 'b/x/'], 'under a prefix');
  isError(t, await app.inject({ method: 'GET', url: `${R}/objects?amount=0`, headers: auth }), 400, 'BAD_REQUEST', 'amount 0');
  const nobody = await memberWith(env, `nobody-${s}`, 'GetRepository()\n');
  isError(t, await app.inject({ method: 'GET', url: `${R}/objects`, headers: nobody.auth }), 403, 'FORBIDDEN', 'listing without ListObjects');

  const sid = await openSession(app, R, auth);
  const q = (p: string) => `session_id=${sid}&path=${encodeURIComponent(p)}`;
  t.equal((await app.inject({ method: 'DELETE', url: `${R}/object?${q('c')}`, headers: auth })).statusCode, 204);
  isError(t, await app.inject({ method: 'DELETE', url: `${R}/object?${q('zzz')}`, headers: auth }), 404, 'NOT_FOUND', 'deleting a missing object');
  isError(t, await app.inject({ method: 'DELETE', url: `${R}/object?path=c`, headers: auth }), 400, 'BAD_REQUEST', 'deleting without session_id');
  let res = await app.inject({ method: 'POST', url: `${R}/object/copy?session_id=${sid}&source_path=d&destination_path=copies/d`, headers: auth });
  t.equal(res.statusCode, 201, 'a bodiless copy');
  t.same(res.json(), { source_path: 'd', destination_path: 'copies/d' });
  isError(t, await app.inject({ method: 'POST', url: `${R}/object/copy?session_id=${sid}&source_path=nope&destination_path=x`, headers: auth }), 404, 'NOT_FOUND', 'copying a missing object');
  isError(t, await app.inject({ method: 'POST', url: `${R}/object/copy?session_id=${sid}&source_path=d`, headers: auth }), 400, 'BAD_REQUEST', 'copy without a destination');
  res = await app.inject({ method: 'POST', url: `${R}/objects/delete?session_id=${sid}`, headers: auth, payload: { paths: ['a/1', 'a/2', 'not-there'] } });
  t.same(res.json(), { deleted: 2 }, 'counts the paths that existed');
  isError(t, await app.inject({ method: 'POST', url: `${R}/objects/delete?session_id=${sid}`, headers: auth, payload: { paths: [] } }), 400, 'BAD_REQUEST', 'no paths');
  isError(t, await app.inject({ method: 'POST', url: `${R}/objects/delete?session_id=${sid}`, headers: auth, payload: { paths: Array.from({ length: 1001 }, (_, i) => `p${i}`) } }), 400, 'BAD_REQUEST', 'more than 1000 paths');
  isError(t, await app.inject({ method: 'POST', url: `${R}/objects/delete?session_id=${sid}`, headers: auth }), 400, 'BAD_REQUEST', 'no body');
  await stage(app, R, sid, 'e', 'new e', auth);

  // The session's view: deletes gone, the copy and the change marked.
  const view = (await allPages<{ path: string; status?: string }>(t, app, `${R}/objects?session_id=${sid}`, auth, 2)).results;
  t.same(view.map((e) => [e.path, e.status ?? '']), [['a/3', ''], ['b/1', ''], ['b/x/1', ''], ['copies/d', 'added'], ['d', ''], ['e', 'modified']]);
  t.same((await app.inject({ method: 'GET', url: `${R}/objects`, headers: auth })).json().results.length, 8, 'the latest commit is untouched until commit');
  t.equal((await app.inject({ method: 'POST', url: `${R}/sessions/${sid}`, headers: auth, payload: { message: 'tidy' } })).statusCode, 200);
  t.equal((await app.inject({ method: 'GET', url: `${R}/object?path=copies/d`, headers: auth })).body, 'body of d', 'the copy reads the same bytes');
});
