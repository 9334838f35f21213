// The upload URL itself (API-CONTRACT §3.3 step 2): self-authorizing, any body type, streamed
// past the JSON body limit, answering the quoted MD5 as ETag; a forged, unknown or used token
// is refused with the JSON error body.
import { createHash } from 'node:crypto';
import t from 'tap';
import { forEachBackend } from '../helpers/catalog.js';
import { buildTestApp } from '../helpers/app.js';
import { createRepo, isError, openSession, unique } from './fixtures.js';

forEachBackend(t, 'upload URLs', async (t, db) => {
  const { app, auth } = await buildTestApp(t, db);
  const R = await createRepo(app, auth, `upl-${unique()}`);
  const sid = await openSession(app, R, auth);
  const start = async (path: string) => (await app.inject({ method: 'PUT', url: `${R}/object?session_id=${sid}&path=${path}`, headers: auth })).json();

  const big = Buffer.alloc(11 * 1024 * 1024, 'z'); // past the 10 MiB limit of JSON bodies: streamed, not parsed
  const first = await start('big.bin');
  let res = await app.inject({ method: 'PUT', url: new URL(first.upload_url).pathname, payload: big, headers: { 'content-type': 'application/octet-stream' } });
  t.equal(res.statusCode, 200, 'no Authorization needed');
  t.equal(res.headers.etag, `"${createHash('md5').update(big).digest('hex')}"`, 'the quoted MD5');
  res = await app.inject({ method: 'POST', url: `${R}/object/finalize?session_id=${sid}&path=big.bin`, headers: auth, payload: { upload_token: first.upload_token, size_bytes: big.length } });
  t.equal(res.statusCode, 201);

  const second = await start('text.txt');
  res = await app.inject({ method: 'PUT', url: new URL(second.upload_url).pathname, payload: 'plain', headers: { 'content-type': 'text/plain' } });
  t.equal(res.statusCode, 200, 'any Content-Type');
  const third = await start('none.txt');
  res = await app.inject({ method: 'PUT', url: new URL(third.upload_url).pathname, payload: 'no type' });
  t.equal(res.statusCode, 200, 'or none');

  isError(t, await app.inject({ method: 'PUT', url: new URL(first.upload_url).pathname, payload: 'again' }), 404, 'NOT_FOUND', 'a finalized upload');
  isError(t, await app.inject({ method: 'PUT', url: '/api/v1/uploads/forged.0.9999999999.c2lnbmF0dXJl', payload: 'x' }), 404, 'NOT_FOUND', 'a forged token');
  const tampered = second.upload_token.replace(/^[^.]+/, 'someotherupload');
  isError(t, await app.inject({ method: 'PUT', url: `/api/v1/uploads/${encodeURIComponent(tampered)}`, payload: 'x' }), 404, 'NOT_FOUND', 'a token signed for another upload');
  isError(t, await app.inject({ method: 'POST', url: new URL(second.upload_url).pathname, payload: 'x' }), 404, 'NOT_FOUND', 'another method');
});
