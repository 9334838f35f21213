// Multipart uploads over REST, as the SDK drives them for large files.
import t from 'tap';
import { forEachBackend } from '../helpers/catalog.js';
import { buildTestApp } from '../helpers/app.js';

forEachBackend(t, 'initiate, part URLs, complete, read back; bad ETags are refused', async (t, db) => {
  const { app, auth } = await buildTestApp(t, db);
  const repo = `mp-${Date.now().toString(36)}`;
  const R = `/api/v1/organizations/default/repositories/${repo}`;
  await app.inject({ method: 'POST', url: '/api/v1/organizations/default/repositories', headers: auth, payload: { name: repo } });
  const sid = (await app.inject({ method: 'POST', url: `${R}/sessions`, headers: auth })).json().session_id;
  const q = `session_id=${sid}&path=big.bin`;
  const init = (await app.inject({ method: 'POST', url: `${R}/object/multipart?${q}`, headers: auth })).json();
  t.ok(init.upload_id && init.upload_token);
  const parts = [Buffer.alloc(5 * 1024 * 1024, 'a'), Buffer.from('tail')];
  const etags: string[] = [];
  for (const [i, body] of parts.entries()) {
    const part = (await app.inject({ method: 'GET', url: `${R}/object/multipart/part?${q}&upload_id=${init.upload_id}&upload_token=${encodeURIComponent(init.upload_token)}&part_number=${i + 1}`, headers: auth })).json();
    const res = await app.inject({ method: 'PUT', url: new URL(part.upload_url).pathname, payload: body, headers: { 'content-type': 'application/octet-stream' } });
    t.equal(res.statusCode, 200);
    etags.push(res.headers.etag as string);
  }
  const complete = (list: Array<{ part_number: number; etag: string }>) =>
    app.inject({ method: 'POST', url: `${R}/object/multipart/complete?${q}`, headers: auth, payload: { upload_id: init.upload_id, upload_token: init.upload_token, parts: list, size_bytes: 5 * 1024 * 1024 + 4 } });
  t.equal((await complete([{ part_number: 1, etag: etags[1]! }, { part_number: 2, etag: etags[1]! }])).statusCode, 400, 'a wrong ETag is refused');
  const res = await complete(etags.map((etag, i) => ({ part_number: i + 1, etag })));
  t.equal(res.statusCode, 201, res.body);
  t.match(res.json().etag, /-2$/);
  t.equal((await app.inject({ method: 'POST', url: `${R}/sessions/${sid}`, headers: auth, payload: { message: 'big' } })).statusCode, 200);
  const back = await app.inject({ method: 'GET', url: `${R}/object?path=big.bin`, headers: { ...auth, range: 'bytes=5242878-5242883' } });
  t.equal(back.body, 'aatail', 'the parts read back in order, across the boundary');
});
