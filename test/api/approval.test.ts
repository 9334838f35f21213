// The approval flow end to end: an agent whose policy marks its writes for review stages
// changes, its commit answers 202, a reviewer lists and approves them, and the commit carries
// both identities. The agent may not approve itself, and can never exceed its creator.
import t, { type Test } from 'tap';
import { organizations, principals, type Db } from '../../src/catalog/index.js';
import { issueKey } from '../../src/core/keys.js';
import { forEachBackend } from '../helpers/catalog.js';
import { buildTestApp } from '../helpers/app.js';

const AGENT_POLICY = 'ListRepositories()\nGetRepository()\nListObjects()\nGetObject()\nCreateSession()\nPutObject(approval=true)\nCommitSession()\n';

async function agent(t: Test, db: Db, env: Awaited<ReturnType<typeof buildTestApp>>, name: string, creatorId: string) {
  const org = await organizations.getOrganizationByName(db, 'default');
  const p = await principals.createOrgPrincipal(db, { type: 'agent', orgId: org.id, name, inlinePolicy: AGENT_POLICY, createdBy: { type: 'user', id: creatorId } });
  const { token } = await issueKey(env.services, p, { name: 'agent key' });
  t.match(token, /^tak-/, 'agent keys carry the tak- prefix');
  return { authorization: `Bearer ${token}` };
}

forEachBackend(t, 'agent stages, 202, reviewer approves, commit carries both identities', async (t, db) => {
  const env = await buildTestApp(t, db);
  const { app, auth } = env;
  const repo = `appr-${Date.now().toString(36)}`;
  const R = `/api/v1/organizations/default/repositories/${repo}`;
  await app.inject({ method: 'POST', url: '/api/v1/organizations/default/repositories', headers: auth, payload: { name: repo } });
  const adminId = (await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: auth })).json().user.id;
  const bot = await agent(t, db, env, `bot-${repo}`, adminId);

  const sid = (await app.inject({ method: 'POST', url: `${R}/sessions`, headers: bot })).json().session_id;
  const put = (await app.inject({ method: 'PUT', url: `${R}/object?session_id=${sid}&path=report.csv`, headers: bot })).json();
  await app.inject({ method: 'PUT', url: new URL(put.upload_url).pathname, payload: 'a,b\n' });
  t.equal((await app.inject({ method: 'POST', url: `${R}/object/finalize?session_id=${sid}&path=report.csv`, headers: bot, payload: { upload_token: put.upload_token } })).statusCode, 201);

  let res = await app.inject({ method: 'POST', url: `${R}/sessions/${sid}`, headers: bot, payload: { message: 'nightly report' } });
  t.equal(res.statusCode, 202, 'the tainted session waits for approval');
  t.match(res.json(), { approval_required: true, session_id: sid, api_url: `${R}/sessions/${sid}/approve` });
  t.equal((await app.inject({ method: 'HEAD', url: `${R}/sessions/${sid}/approve`, headers: bot })).statusCode, 200, 'pending, as the owner sees it');
  t.equal((await app.inject({ method: 'GET', url: `${R}/object?path=report.csv`, headers: auth })).statusCode, 404, 'nothing visible yet');

  res = await app.inject({ method: 'GET', url: `${R}/sessions/${sid}/approve`, headers: auth });
  t.same(res.json().results.map((c: { path: string }) => c.path), ['report.csv'], 'the reviewer lists the staged changes');
  t.equal((await app.inject({ method: 'POST', url: `${R}/sessions/${sid}/approve`, headers: bot, payload: { message: 'self' } })).statusCode, 403,
    'an agent may not approve its own session');

  res = await app.inject({ method: 'POST', url: `${R}/sessions/${sid}/approve`, headers: auth, payload: { message: 'approved: nightly report' } });
  t.equal(res.statusCode, 200, res.body);
  const commit = (await app.inject({ method: 'GET', url: `${R}/commits/${res.json().commit_id}`, headers: auth })).json();
  t.equal(commit.committer_type, 'agent');
  t.equal(commit.approver_type, 'user');
  t.equal(commit.message, 'approved: nightly report');
  t.equal(commit.metadata.original_message, 'nightly report');
  t.equal((await app.inject({ method: 'HEAD', url: `${R}/sessions/${sid}/approve`, headers: bot })).statusCode, 404, 'done: 404');
  t.equal((await app.inject({ method: 'GET', url: `${R}/object?path=report.csv`, headers: auth })).body, 'a,b\n');

  // An agent created by a user who may only read can never write, whatever its inline policy says.
  const org = await organizations.getOrganizationByName(db, 'default');
  const reader = await principals.createUser(db, { username: `reader-${repo}` });
  await organizations.addMember(db, org.id, reader.id);
  const capped = await agent(t, db, env, `capped-${repo}`, reader.id);
  t.equal((await app.inject({ method: 'POST', url: `${R}/sessions`, headers: capped })).statusCode, 403, "an agent never exceeds its creator");
});
