// Sessions through REST (API-CONTRACT §2.4, §3.1): open, commit (200, 202, 409, 404),
// rollback, the approve endpoints, changes across pages, and session-bound S3 credentials.
import t from 'tap';
import { organizations, principals } from '../../src/catalog/index.js';
import { issueKey } from '../../src/core/keys.js';
import { forEachBackend } from '../helpers/catalog.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { allPages, commitFiles, createRepo, isError, memberWith, openSession, stage, unique, type Headers } from './fixtures.js';

/** An agent created by the admin, with an inline policy; its Bearer header. */
async function agentWith(env: TestApp, name: string, inlinePolicy: string): Promise<Headers> {
  const { db } = env.services;
  const org = await organizations.getOrganizationByName(db, 'default');
  const admin = await principals.findUserByName(db, 'admin');
  const agent = await principals.createOrgPrincipal(db, { type: 'agent', orgId: org.id, name, inlinePolicy, createdBy: { type: 'user', id: admin!.id } });
  return { authorization: `Bearer ${(await issueKey(env.services, agent, { name: 'k' })).token}` };
}

const NO_SUCH = '00000000-0000-4000-8000-000000000000';

forEachBackend(t, 'sessions: open, commit, conflict, rollback', async (t, db) => {
  const env = await buildTestApp(t, db);
  const { app, auth } = env;
  const s = unique();
  const R = await createRepo(app, auth, `ses-${s}`);

  let res = await app.inject({ method: 'POST', url: `${R}/sessions`, headers: auth });
  t.equal(res.statusCode, 201, 'no body and no Content-Type');
  t.match(res.json().session_id, /^[0-9a-f-]{36}$/);
  t.equal((await app.inject({ method: 'POST', url: `${R}/sessions`, headers: { ...auth, 'content-type': 'application/json' } })).statusCode, 201, 'an empty body labelled JSON');
  t.equal((await app.inject({ method: 'POST', url: `${R}/sessions`, headers: auth, payload: { anything: true } })).statusCode, 201, 'a body with unknown fields');
  isError(t, await app.inject({ method: 'POST', url: `${R}/sessions` }), 401, 'UNAUTHORIZED', 'no credentials');
  isError(t, await app.inject({ method: 'POST', url: `/api/v1/organizations/default/repositories/none-${s}/sessions`, headers: auth }), 404, 'NOT_FOUND', 'an unknown repository');
  const reader = await memberWith(env, `reader-${s}`, 'GetRepository()\nListObjects()\nGetObject()\n');
  isError(t, await app.inject({ method: 'POST', url: `${R}/sessions`, headers: reader.auth }), 403, 'FORBIDDEN', 'without CreateSession');

  // Two sessions on the same path: the first commit wins, the second conflicts and changes nothing.
  const [a, b] = [await openSession(app, R, auth), await openSession(app, R, auth)];
  await stage(app, R, a, 'same.txt', 'from a', auth);
  await stage(app, R, b, 'same.txt', 'from b', auth);
  await stage(app, R, b, 'only-b.txt', 'b', auth);
  isError(t, await app.inject({ method: 'POST', url: `${R}/sessions/${a}`, headers: auth, payload: {} }), 400, 'BAD_REQUEST', 'a commit without a message');
  isError(t, await app.inject({ method: 'POST', url: `${R}/sessions/${a}`, headers: auth, payload: { message: 'x', metadata: { n: { nested: true } } } }), 400, 'BAD_REQUEST', 'metadata that is not a string map');
  isError(t, await app.inject({ method: 'POST', url: `${R}/sessions/not-a-uuid`, headers: auth, payload: { message: 'x' } }), 400, 'BAD_REQUEST', 'a session id that is no uuid');
  isError(t, await app.inject({ method: 'POST', url: `${R}/sessions/${NO_SUCH}`, headers: auth, payload: { message: 'x' } }), 404, 'NOT_FOUND', 'an unknown session');
  const writer = await memberWith(env, `writer-${s}`, 'GetRepository()\nCreateSession()\nPutObject()\nCommitSession()\n');
  isError(t, await app.inject({ method: 'POST', url: `${R}/sessions/${a}`, headers: writer.auth, payload: { message: 'x' } }), 403, 'FORBIDDEN', "committing another principal's session");
  res = await app.inject({ method: 'POST', url: `${R}/sessions/${a}`, headers: auth, payload: { message: 'a wins', metadata: { k: 'v' } } });
  t.equal(res.statusCode, 200, res.body);
  t.match(res.json().commit_id, /^[0-9a-f]{64}$/);
  isError(t, await app.inject({ method: 'POST', url: `${R}/sessions/${a}`, headers: auth, payload: { message: 'again' } }), 404, 'NOT_FOUND', 'a committed session');
  isError(t, await app.inject({ method: 'POST', url: `${R}/sessions/${b}`, headers: auth, payload: { message: 'b loses' } }), 409, 'CONFLICT', 'a conflicting session');
  t.equal((await app.inject({ method: 'GET', url: `${R}/object?path=only-b.txt`, headers: auth })).statusCode, 404, 'the conflict changed nothing');
  t.equal((await app.inject({ method: 'GET', url: `${R}/object?path=same.txt`, headers: auth })).body, 'from a');

  // Rollback: the owner only (while open); afterwards the session is gone.
  isError(t, await app.inject({ method: 'DELETE', url: `${R}/sessions/${b}`, headers: writer.auth }), 403, 'FORBIDDEN', "rolling back another's open session");
  t.equal((await app.inject({ method: 'DELETE', url: `${R}/sessions/${b}`, headers: auth })).statusCode, 204);
  isError(t, await app.inject({ method: 'DELETE', url: `${R}/sessions/${b}`, headers: auth }), 404, 'NOT_FOUND', 'a rolled-back session');
  isError(t, await app.inject({ method: 'DELETE', url: `${R}/sessions/${NO_SUCH}`, headers: auth }), 404, 'NOT_FOUND', 'rolling back an unknown session');
  isError(t, await app.inject({ method: 'DELETE', url: `${R}/sessions/nope`, headers: auth }), 400, 'BAD_REQUEST', 'rolling back a malformed id');
  isError(t, await app.inject({ method: 'PUT', url: `${R}/object?session_id=${b}&path=x`, headers: auth }), 404, 'NOT_FOUND', 'staging into a rolled-back session');
});

forEachBackend(t, 'approval: 202, polling, review across pages, approve or roll back', async (t, db) => {
  const env = await buildTestApp(t, db);
  const { app, auth } = env;
  const s = unique();
  const R = await createRepo(app, auth, `apv-${s}`);
  // No GetRepository: the agent may still poll its own approval (the SDK gives up on a 403).
  const bot = await agentWith(env, `bot-${s}`, 'CreateSession()\nPutObject(approval=true)\nCommitSession()\nListObjects()\n');
  const sid = await openSession(app, R, bot);
  for (const n of [1, 2, 3, 4, 5]) await stage(app, R, sid, `in/${n}.csv`, `row ${n}\n`, bot);

  isError(t, await app.inject({ method: 'POST', url: `${R}/sessions/${sid}/approve`, headers: auth, payload: { message: 'early' } }), 404, 'NOT_FOUND', 'approving a session that is still open');
  t.equal((await app.inject({ method: 'HEAD', url: `${R}/sessions/${sid}/approve`, headers: bot })).statusCode, 404, 'HEAD: not pending while open');
  let res = await app.inject({ method: 'POST', url: `${R}/sessions/${sid}`, headers: bot, payload: { message: 'load' } });
  t.equal(res.statusCode, 202, res.body);
  t.same(Object.keys(res.json()).sort(), ['api_url', 'approval_required', 'message', 'session_id', 'web_url']);
  t.equal((await app.inject({ method: 'HEAD', url: `${R}/sessions/${sid}/approve`, headers: bot })).statusCode, 200, 'HEAD: pending, for its owner without GetRepository');
  t.equal((await app.inject({ method: 'HEAD', url: `${R}/sessions/${sid}/approve`, headers: auth })).statusCode, 200, 'HEAD: pending, for a reviewer');
  t.equal((await app.inject({ method: 'HEAD', url: `${R}/sessions/${NO_SUCH}/approve`, headers: auth })).statusCode, 404, 'HEAD: an unknown session');
  t.equal((await app.inject({ method: 'HEAD', url: `${R}/sessions/bad/approve`, headers: auth })).statusCode, 400, 'HEAD: a malformed id');
  isError(t, await app.inject({ method: 'PUT', url: `${R}/object?session_id=${sid}&path=late.txt`, headers: bot }), 404, 'NOT_FOUND', 'staging into a pending session');

  const { results, pages } = await allPages<{ path: string; entry: { size: number } }>(t, app, `${R}/sessions/${sid}/approve`, auth, 2);
  t.same(results.map((c) => c.path), [1, 2, 3, 4, 5].map((n) => `in/${n}.csv`), 'the reviewer pages through every staged change');
  t.equal(pages, 3);
  t.equal(results[0]!.entry.size, 'row 1\n'.length);
  t.same((await app.inject({ method: 'GET', url: `${R}/sessions/${sid}/approve?prefix=in/5`, headers: auth })).json().results.map((c: { path: string }) => c.path), ['in/5.csv'], 'with a prefix');
  isError(t, await app.inject({ method: 'GET', url: `${R}/sessions/${sid}/approve`, headers: bot }), 403, 'FORBIDDEN', 'listing for review without ApproveSessionChanges');
  isError(t, await app.inject({ method: 'GET', url: `${R}/sessions/${NO_SUCH}/approve`, headers: auth }), 404, 'NOT_FOUND', 'reviewing an unknown session');
  isError(t, await app.inject({ method: 'POST', url: `${R}/sessions/${sid}/approve`, headers: auth, payload: {} }), 400, 'BAD_REQUEST', 'approving without a message');
  isError(t, await app.inject({ method: 'POST', url: `${R}/sessions/${sid}/approve`, headers: bot, payload: { message: 'me' } }), 403, 'FORBIDDEN', 'approving without ApproveSessionChanges');

  // A commit lands on the same path meanwhile: approving conflicts, nothing changes.
  await commitFiles(app, R, auth, { 'in/3.csv': 'theirs' });
  isError(t, await app.inject({ method: 'POST', url: `${R}/sessions/${sid}/approve`, headers: auth, payload: { message: 'ok' } }), 409, 'CONFLICT', 'approving a conflicting session');
  t.equal((await app.inject({ method: 'GET', url: `${R}/object?path=in/1.csv`, headers: auth })).statusCode, 404, 'nothing of it landed');
  // A reviewer may roll a pending session back; the owner's poll then sees 404.
  t.equal((await app.inject({ method: 'DELETE', url: `${R}/sessions/${sid}`, headers: auth })).statusCode, 204);
  t.equal((await app.inject({ method: 'HEAD', url: `${R}/sessions/${sid}/approve`, headers: bot })).statusCode, 404, 'HEAD: 404 once rolled back');

  // A second round that the reviewer approves.
  const again = await openSession(app, R, bot);
  await stage(app, R, again, 'in/6.csv', 'six', bot);
  t.equal((await app.inject({ method: 'POST', url: `${R}/sessions/${again}`, headers: bot, payload: { message: 'six' } })).statusCode, 202);
  res = await app.inject({ method: 'POST', url: `${R}/sessions/${again}/approve`, headers: auth, payload: { message: 'approved six', metadata: { ticket: '42' } } });
  t.equal(res.statusCode, 200, res.body);
  const commit = (await app.inject({ method: 'GET', url: `${R}/commits/${res.json().commit_id}`, headers: auth })).json();
  t.match(commit, { message: 'approved six', committer_type: 'agent', approver_type: 'user', metadata: { ticket: '42', original_message: 'six' } });
  t.equal((await app.inject({ method: 'HEAD', url: `${R}/sessions/${again}/approve`, headers: bot })).statusCode, 404, 'HEAD: 404 once committed');
  isError(t, await app.inject({ method: 'POST', url: `${R}/sessions/${again}/approve`, headers: auth, payload: { message: 'twice' } }), 404, 'NOT_FOUND', 'approving twice');
});

forEachBackend(t, 'changes across pages; session-bound S3 credentials', async (t, db) => {
  const env = await buildTestApp(t, db);
  const { app, auth } = env;
  const s = unique();
  const R = await createRepo(app, auth, `chg-${s}`);
  await commitFiles(app, R, auth, { 'old.txt': 'old' });
  const sid = await openSession(app, R, auth);
  for (const n of ['a', 'b', 'c', 'd']) await stage(app, R, sid, `${n}.txt`, n, auth);
  t.equal((await app.inject({ method: 'DELETE', url: `${R}/object?session_id=${sid}&path=old.txt`, headers: auth })).statusCode, 204);

  const { results, pages } = await allPages<{ path: string; entry?: unknown }>(t, app, `${R}/changes?session_id=${sid}`, auth, 2);
  t.same(results.map((c) => c.path), ['a.txt', 'b.txt', 'c.txt', 'd.txt', 'old.txt']);
  t.equal(pages, 3);
  t.notOk('entry' in results[4]!, 'a staged delete has no entry');
  t.ok(results[0]!.entry, 'a staged put has one');
  isError(t, await app.inject({ method: 'GET', url: `${R}/changes`, headers: auth }), 400, 'BAD_REQUEST', 'changes without session_id');
  isError(t, await app.inject({ method: 'GET', url: `${R}/changes?session_id=${NO_SUCH}`, headers: auth }), 404, 'NOT_FOUND', 'changes of an unknown session');
  const nobody = await memberWith(env, `nobody-${s}`, 'GetRepository()\n');
  isError(t, await app.inject({ method: 'GET', url: `${R}/changes?session_id=${sid}`, headers: nobody.auth }), 403, 'FORBIDDEN', 'changes without ListObjects');

  const res = await app.inject({ method: 'POST', url: `${R}/sessions/${sid}/s3-credentials`, headers: auth });
  t.equal(res.statusCode, 201, res.body);
  t.match(res.json(), { access_key_id: /^TK[A-Z0-9]{18}$/, secret_access_key: /^tuk-/, bucket: `chg-${s}` });
  t.ok(Date.parse(res.json().expires_at) > Date.now(), 'they expire in the future');
  const other = await memberWith(env, `other-${s}`, 'GetRepository()\nCreateSession()\nPutObject()\n');
  isError(t, await app.inject({ method: 'POST', url: `${R}/sessions/${sid}/s3-credentials`, headers: other.auth }), 403, 'FORBIDDEN', "credentials for another's session");
  isError(t, await app.inject({ method: 'POST', url: `${R}/sessions/${NO_SUCH}/s3-credentials`, headers: auth }), 404, 'NOT_FOUND', 'credentials for an unknown session');
});
