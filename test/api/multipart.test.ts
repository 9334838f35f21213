// Multipart uploads over REST (API-CONTRACT §3.4), as the SDK drives them for large files,
// and every way a completion can be refused.
import t from 'tap';
import { forEachBackend } from '../helpers/catalog.js';
import { buildTestApp } from '../helpers/app.js';
import { createRepo, isError, memberWith, openSession, unique } from './fixtures.js';

const MiB = 1024 * 1024;

forEachBackend(t, 'initiate, part URLs, complete, read back; abort', async (t, db) => {
  const env = await buildTestApp(t, db);
  const { app, auth } = env;
  const R = await createRepo(app, auth, `mp-${unique()}`);
  const sid = await openSession(app, R, auth);
  const q = `session_id=${sid}&path=big.bin`;
  let res = await app.inject({ method: 'POST', url: `${R}/object/multipart?${q}`, headers: auth });
  t.equal(res.statusCode, 200, 'a bodiless initiate');
  const init = res.json();
  t.ok(init.upload_id && init.upload_token);
  const partUrl = (n: number, token = init.upload_token, id = init.upload_id) =>
    `${R}/object/multipart/part?${q}&upload_id=${encodeURIComponent(id)}&upload_token=${encodeURIComponent(token)}&part_number=${n}`;
  const parts = [Buffer.alloc(5 * MiB, 'a'), Buffer.alloc(5 * MiB, 'b'), Buffer.from('tail')];
  const etags: string[] = [];
  for (const [i, body] of parts.entries()) {
    const part = (await app.inject({ method: 'GET', url: partUrl(i + 1), headers: auth })).json();
    t.match(part.upload_url, /^http:\/\/.+\/api\/v1\/uploads\//, 'an absolute part URL');
    res = await app.inject({ method: 'PUT', url: new URL(part.upload_url).pathname, payload: body, headers: { 'content-type': 'application/octet-stream' } });
    t.equal(res.statusCode, 200);
    etags.push(res.headers.etag as string);
  }
  isError(t, await app.inject({ method: 'GET', url: partUrl(0), headers: auth }), 400, 'BAD_REQUEST', 'part number 0');
  isError(t, await app.inject({ method: 'GET', url: partUrl(10_001), headers: auth }), 400, 'BAD_REQUEST', 'part number past 10,000');
  isError(t, await app.inject({ method: 'GET', url: partUrl(1, 'forged'), headers: auth }), 400, 'BAD_REQUEST', 'a forged upload token');
  isError(t, await app.inject({ method: 'GET', url: `${R}/object/multipart/part?${q}&part_number=1`, headers: auth }), 400, 'BAD_REQUEST', 'no upload id or token');

  const size = 10 * MiB + 4;
  const complete = (list: Array<{ part_number: number; etag: string }>, extra: Record<string, unknown> = {}) =>
    app.inject({ method: 'POST', url: `${R}/object/multipart/complete?${q}`, headers: auth, payload: { upload_id: init.upload_id, upload_token: init.upload_token, parts: list, size_bytes: size, ...extra } });
  const all = etags.map((etag, i) => ({ part_number: i + 1, etag }));
  isError(t, await complete([all[0]!, { part_number: 2, etag: etags[0]! }, all[2]!]), 400, 'BAD_REQUEST', 'a wrong ETag');
  isError(t, await complete([all[1]!, all[0]!, all[2]!]), 400, 'BAD_REQUEST', 'parts out of order');
  const extra = (await app.inject({ method: 'GET', url: partUrl(4), headers: auth })).json();
  const fourth = (await app.inject({ method: 'PUT', url: new URL(extra.upload_url).pathname, payload: 'x', headers: { 'content-type': 'application/octet-stream' } })).headers.etag as string;
  isError(t, await complete([...all, { part_number: 4, etag: fourth }], { size_bytes: size + 1 }), 400, 'BAD_REQUEST', 'a part below 5 MiB that is not the last');
  isError(t, await complete([{ part_number: 7, etag: etags[0]! }]), 400, 'BAD_REQUEST', 'a part never uploaded');
  isError(t, await complete([]), 400, 'BAD_REQUEST', 'no parts');
  isError(t, await complete(all, { size_bytes: 1 }), 400, 'BAD_REQUEST', 'a size mismatch');
  isError(t, await complete(all, { upload_token: 'forged' }), 400, 'BAD_REQUEST', 'a forged token');
  res = await complete(all, { content_type: 'application/x-big', metadata: { kind: 'blob' } });
  t.equal(res.statusCode, 201, res.body);
  t.match(res.json(), { path: 'big.bin', etag: /-3$/ });
  t.equal((await app.inject({ method: 'POST', url: `${R}/sessions/${sid}`, headers: auth, payload: { message: 'big' } })).statusCode, 200);
  const back = await app.inject({ method: 'GET', url: `${R}/object?path=big.bin`, headers: { ...auth, range: `bytes=${5 * MiB - 2}-${5 * MiB + 1}` } });
  t.equal(back.body, 'aabb', 'the parts read back in order, across the boundary');
  const head = await app.inject({ method: 'HEAD', url: `${R}/object?path=big.bin`, headers: auth });
  t.equal(head.headers['content-length'], String(size));
  t.equal(head.headers['x-tilde-meta-kind'], 'blob');

  // Abort: the upload is gone afterwards.
  const sid2 = await openSession(app, R, auth);
  const q2 = `session_id=${sid2}&path=other.bin`;
  const second = (await app.inject({ method: 'POST', url: `${R}/object/multipart?${q2}`, headers: auth })).json();
  const abort = `${R}/object/multipart?${q2}&upload_id=${encodeURIComponent(second.upload_id)}&upload_token=${encodeURIComponent(second.upload_token)}`;
  isError(t, await app.inject({ method: 'DELETE', url: `${R}/object/multipart?${q2}`, headers: auth }), 400, 'BAD_REQUEST', 'aborting without upload id and token');
  t.equal((await app.inject({ method: 'DELETE', url: abort, headers: auth })).statusCode, 204);
  isError(t, await app.inject({ method: 'GET', url: `${R}/object/multipart/part?${q2}&upload_id=${encodeURIComponent(second.upload_id)}&upload_token=${encodeURIComponent(second.upload_token)}&part_number=1`, headers: auth }), 404, 'NOT_FOUND', 'a part URL of an aborted upload');

  isError(t, await app.inject({ method: 'POST', url: `${R}/object/multipart?path=x`, headers: auth }), 400, 'BAD_REQUEST', 'initiate without session_id');
  const reader = await memberWith(env, `reader-${unique()}`, 'GetRepository()\nCreateSession()\n');
  const readerSession = await openSession(app, R, reader.auth);
  isError(t, await app.inject({ method: 'POST', url: `${R}/object/multipart?session_id=${readerSession}&path=x`, headers: reader.auth }), 403, 'FORBIDDEN', 'initiate without PutObject');
  isError(t, await app.inject({ method: 'POST', url: `${R}/object/multipart?session_id=${sid2}&path=x`, headers: reader.auth }), 403, 'FORBIDDEN', "initiate in another's session");
});
