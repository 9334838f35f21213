// Authorization through the REST API: policies decide, deny wins, admins may do everything,
// non-members see nothing.
import t from 'tap';
import { organizations, policies, principals } from '../../src/catalog/index.js';
import { issueKey } from '../../src/core/keys.js';
import { forEachBackend } from '../helpers/catalog.js';
import { buildTestApp, type TestApp } from '../helpers/app.js';

/** A member of `default` with one policy text attached; returns its Bearer header. */
async function memberWith(env: TestApp, name: string, policyText: string) {
  const { services } = env;
  const org = await organizations.getOrganizationByName(services.db, 'default');
  const user = await principals.createUser(services.db, { username: name });
  await organizations.addMember(services.db, org.id, user.id);
  await services.db.query(
    `INSERT INTO policies (id, org_id, name, policy_text) VALUES (gen_random_uuid(), $1, $2, $3)`, [org.id, `p-${name}`, policyText]);
  await policies.attachPolicy(services.db, await policies.findPolicyIdByName(services.db, org.id, `p-${name}`), { type: 'user', id: user.id }, null);
  const { token } = await issueKey(services, user, { name: 'test' });
  return { authorization: `Bearer ${token}` };
}

forEachBackend(t, 'policies allow and deny REST calls', async (t, db) => {
  const env = await buildTestApp(t, db);
  const { app, auth } = env;
  const suffix = Date.now().toString(36);
  const repo = `rbac-${suffix}`;
  t.equal((await app.inject({ method: 'POST', url: '/api/v1/organizations/default/repositories', headers: auth, payload: { name: repo } })).statusCode, 201);

  const reader = await memberWith(env, `reader-${suffix}`, 'ListRepositories()\nGetRepository()\nListObjects()\nGetObject()\n');
  const writer = await memberWith(env, `writer-${suffix}`, `GetRepository()\nCreateSession()\nPutObject(path="allowed/*")\ndeny PutObject(path="allowed/secret*")\nCommitSession()\n`);
  const R = `/api/v1/organizations/default/repositories/${repo}`;

  t.equal((await app.inject({ method: 'GET', url: R, headers: reader })).statusCode, 200, 'the reader reads');
  t.equal((await app.inject({ method: 'POST', url: `${R}/sessions`, headers: reader })).statusCode, 403, 'but opens no session');
  t.equal((await app.inject({ method: 'POST', url: '/api/v1/organizations/default/repositories', headers: reader, payload: { name: `x-${suffix}` } })).statusCode, 403);

  const sid = (await app.inject({ method: 'POST', url: `${R}/sessions`, headers: writer })).json().session_id;
  t.ok(sid, 'the writer opens a session');
  const put = (path: string) => app.inject({ method: 'PUT', url: `${R}/object?session_id=${sid}&path=${path}`, headers: writer });
  t.equal((await put('allowed/a.txt')).statusCode, 200, 'writes where the path glob allows');
  t.equal((await put('other/a.txt')).statusCode, 403, 'not elsewhere');
  t.equal((await put('allowed/secret.txt')).statusCode, 403, 'deny wins over allow');
  t.equal((await app.inject({ method: 'POST', url: `${R}/sessions/${sid}`, headers: reader, payload: { message: 'x' } })).statusCode, 403,
    "another principal cannot commit the writer's session");

  const outsider = await principals.createUser(db, { username: `outsider-${suffix}` });
  const { token } = await issueKey(env.services, outsider, { name: 'x' });
  const res = await app.inject({ method: 'GET', url: R, headers: { authorization: `Bearer ${token}` } });
  t.equal(res.statusCode, 404, 'a non-member does not learn the organization exists');
});
