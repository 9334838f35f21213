// The REST flow end to end through inject: repository, session, upload URL, finalize, commit,
// read, log, diff, revert; on every catalog backend.
import t from 'tap';
import { forEachBackend } from '../helpers/catalog.js';
import { buildTestApp } from '../helpers/app.js';

const R = (repo: string) => `/api/v1/organizations/default/repositories/${repo}`;

forEachBackend(t, 'upload through a session, commit, read back, diff and revert', async (t, db) => {
  const { app, auth } = await buildTestApp(t, db);
  const repo = `flow-${Date.now().toString(36)}`;
  let res = await app.inject({ method: 'POST', url: '/api/v1/organizations/default/repositories', headers: auth, payload: { name: repo, visibility: 'private' } });
  t.equal(res.statusCode, 201, res.body);
  t.equal(res.json().name, repo);

  res = await app.inject({ method: 'POST', url: `${R(repo)}/sessions`, headers: auth });
  t.equal(res.statusCode, 201, 'a bodiless POST without Content-Type is accepted');
  const sid = res.json().session_id as string;

  res = await app.inject({ method: 'PUT', url: `${R(repo)}/object?session_id=${sid}&path=data/a.csv`, headers: auth });
  t.equal(res.statusCode, 200, res.body);
  const { upload_url: uploadUrl, upload_token: uploadToken } = res.json();
  t.match(uploadUrl, /^http:\/\/.+\/api\/v1\/uploads\//, 'the upload URL is absolute');

  const body = 'id,name\n1,ann\n';
  res = await app.inject({ method: 'PUT', url: new URL(uploadUrl).pathname, headers: { 'content-type': 'application/octet-stream' }, payload: body });
  t.equal(res.statusCode, 200, 'the upload URL needs no Authorization');
  const etag = res.headers.etag as string;
  t.match(etag, /^"[0-9a-f]{32}"$/);

  res = await app.inject({
    method: 'POST', url: `${R(repo)}/object/finalize?session_id=${sid}&path=data/a.csv`, headers: auth,
    payload: { upload_token: uploadToken, checksum: etag.replaceAll('"', ''), size_bytes: body.length + 1, content_type: 'text/csv' },
  });
  t.equal(res.statusCode, 400, 'a wrong size is refused');
  t.same(Object.keys(res.json()).sort(), ['code', 'message', 'request_id']);

  res = await app.inject({
    method: 'POST', url: `${R(repo)}/object/finalize?session_id=${sid}&path=data/a.csv`, headers: auth,
    payload: { upload_token: uploadToken, checksum: etag.replaceAll('"', ''), size_bytes: body.length, content_type: 'text/csv', metadata: { owner: 'ann' } },
  });
  t.equal(res.statusCode, 201, res.body);

  res = await app.inject({ method: 'GET', url: `${R(repo)}/object?path=data/a.csv`, headers: auth });
  t.equal(res.statusCode, 404, 'not visible at the latest commit before commit');
  res = await app.inject({ method: 'GET', url: `${R(repo)}/object?path=data/a.csv&session_id=${sid}`, headers: auth });
  t.equal(res.body, body, 'visible in the session');

  res = await app.inject({ method: 'POST', url: `${R(repo)}/sessions/${sid}`, headers: auth, payload: { message: 'add a.csv', metadata: { job: '7' } } });
  t.equal(res.statusCode, 200, res.body);
  const commitId = res.json().commit_id as string;

  res = await app.inject({ method: 'GET', url: `${R(repo)}/object?path=data/a.csv`, headers: { ...auth, range: 'bytes=3-6' } });
  t.equal(res.statusCode, 206);
  t.equal(res.body, body.slice(3, 7));
  t.equal(res.headers['content-range'], `bytes 3-6/${body.length}`);

  res = await app.inject({ method: 'HEAD', url: `${R(repo)}/object?path=data/a.csv`, headers: auth });
  t.equal(res.headers['content-type'], 'text/csv');
  t.equal(res.headers['x-tilde-meta-owner'], 'ann');

  res = await app.inject({ method: 'GET', url: `${R(repo)}/log?amount=10`, headers: auth });
  const log = res.json();
  t.same(log.results.map((c: { message: string }) => c.message), ['add a.csv', 'Repository created']);
  t.equal(log.results[0].committer_type, 'user');
  t.same(log.results[0].metadata, { job: '7' });
  t.equal(log.pagination.has_more, false);

  res = await app.inject({ method: 'GET', url: `${R(repo)}/diff?right=${commitId}`, headers: auth });
  t.same(res.json().results.map((d: { path: string; status: string }) => [d.path, d.status]), [['data/a.csv', 'added']]);

  res = await app.inject({ method: 'POST', url: `${R(repo)}/commits/${commitId}/revert`, headers: auth, payload: {} });
  t.equal(res.statusCode, 201, res.body);
  res = await app.inject({ method: 'GET', url: `${R(repo)}/objects?prefix=data/`, headers: auth });
  t.same(res.json().results, [], 'the revert removed the file');
});

forEachBackend(t, 'errors carry message, code and request_id', async (t, db) => {
  const { app, auth } = await buildTestApp(t, db);
  let res = await app.inject({ method: 'GET', url: '/api/v1/organizations/default/repositories/nope', headers: auth });
  t.equal(res.statusCode, 404);
  t.equal(res.json().code, 'NOT_FOUND');
  t.equal(res.json().request_id, res.headers['x-request-id']);
  res = await app.inject({ method: 'GET', url: '/api/v1/organizations/default/repositories', headers: { authorization: 'Bearer tuk-wrong' } });
  t.equal(res.statusCode, 401);
  t.equal(res.json().code, 'UNAUTHORIZED');
  res = await app.inject({ method: 'GET', url: '/api/v1/organizations/default/repositories' });
  t.equal(res.statusCode, 401, 'no credentials at all');
  res = await app.inject({ method: 'POST', url: '/api/v1/organizations/default/repositories', headers: auth, payload: { name: 'Bad_Name' } });
  t.equal(res.statusCode, 400);
  t.equal(res.json().code, 'BAD_REQUEST');
});
