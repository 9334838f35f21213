// Policies through REST: validation with positions, built-ins read-only, attachments that
// change what a principal may do.
import t from 'tap';
import { organizations, principals } from '../../src/catalog/index.js';
import { issueKey } from '../../src/core/keys.js';
import { forEachBackend } from '../helpers/catalog.js';
import { buildTestApp } from '../helpers/app.js';

forEachBackend(t, 'policies: validate, create, attach, detach', async (t, db) => {
  const env = await buildTestApp(t, db);
  const { app, auth } = env;
  const O = '/api/v1/organizations/default';
  const s = Date.now().toString(36);
  let res = await app.inject({ method: 'POST', url: `${O}/policies:validate`, headers: auth, payload: { policy_text: 'GetObject()\nPutObject(path=)\n' } });
  t.equal(res.statusCode, 200);
  t.equal(res.json().valid, false);
  t.equal(res.json().errors[0].line, 2);
  t.same((await app.inject({ method: 'POST', url: `${O}/policies:validate`, headers: auth, payload: { policy_text: 'GetObject()\n' } })).json(), { valid: true, errors: [] });
  t.equal((await app.inject({ method: 'POST', url: `${O}/policies`, headers: auth, payload: { name: `bad-${s}`, policy_text: 'Nope()' } })).statusCode, 400);

  res = await app.inject({ method: 'POST', url: `${O}/policies`, headers: auth, payload: { name: `list-${s}`, policy_text: 'ListRepositories()\n' } });
  t.equal(res.statusCode, 201, res.body);
  const policy = res.json();
  const list = (await app.inject({ method: 'GET', url: `${O}/policies?amount=1000`, headers: auth })).json().results;
  const admin = list.find((p: { name: string }) => p.name === 'Admin');
  t.equal(admin.is_builtin, true, 'organizations have the built-in policies');
  t.equal((await app.inject({ method: 'PUT', url: `${O}/policies/${admin.id}`, headers: auth, payload: { policy_text: 'GetObject()' } })).statusCode, 403, 'built-ins are read-only');

  const org = await organizations.getOrganizationByName(db, 'default');
  const user = await principals.createUser(db, { username: `pol-${s}` });
  await organizations.addMember(db, org.id, user.id);
  const { token } = await issueKey(env.services, user, { name: 'k' });
  const userAuth = { authorization: `Bearer ${token}` };
  t.equal((await app.inject({ method: 'GET', url: `${O}/repositories`, headers: userAuth })).statusCode, 403, 'no policy, no listing');
  t.equal((await app.inject({ method: 'POST', url: `${O}/policies/${policy.id}/attachments`, headers: auth, payload: { principal_type: 'user', principal_id: user.id } })).statusCode, 201);
  t.equal((await app.inject({ method: 'GET', url: `${O}/repositories`, headers: userAuth })).statusCode, 200, 'the attached policy allows it');
  res = await app.inject({ method: 'GET', url: `${O}/policies/${policy.id}`, headers: auth });
  t.same(res.json().attachments.map((a: { principal_id: string }) => a.principal_id), [user.id]);
  t.equal(res.json().policy.attachment_count, 1);
  t.equal((await app.inject({ method: 'DELETE', url: `${O}/policies/${policy.id}/attachments?principal_type=user&principal_id=${user.id}`, headers: auth })).statusCode, 204);
  t.equal((await app.inject({ method: 'GET', url: `${O}/repositories`, headers: userAuth })).statusCode, 403, 'detached: denied again');
  t.equal((await app.inject({ method: 'DELETE', url: `${O}/policies/${policy.id}`, headers: auth })).statusCode, 204);
});
