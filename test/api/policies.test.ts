// Policies through REST (API-CONTRACT §2.8): validation with positions, create, list across
// pages, get with attachments, update, built-ins read-only, attach and detach changing what a
// principal may do, the organization's attachments, and the errors.
import t from 'tap';
import { forEachBackend } from '../helpers/catalog.js';
import { buildTestApp } from '../helpers/app.js';
import { allPages, isError, memberWith, O, unique } from './fixtures.js';

const NO_SUCH = '00000000-0000-4000-8000-000000000000';

forEachBackend(t, 'policies: validate, create, list, update, delete', async (t, db) => {
  const env = await buildTestApp(t, db);
  const { app, auth } = env;
  const s = unique();
  let res = await app.inject({ method: 'POST', url: `${O}/policies:validate`, headers: auth, payload: { policy_text: 'GetObject()\nPutObject(path=)\n' } });
  t.equal(res.statusCode, 200, 'an invalid text is still 200');
  t.equal(res.json().valid, false);
  t.match(res.json().errors[0], { line: 2, column: Number, message: String });
  t.same((await app.inject({ method: 'POST', url: `${O}/policies:validate`, headers: auth, payload: { policy_text: 'GetObject()\n' } })).json(), { valid: true, errors: [] });
  isError(t, await app.inject({ method: 'POST', url: `${O}/policies:validate`, headers: auth, payload: {} }), 400, 'BAD_REQUEST', 'validate without policy_text');

  isError(t, await app.inject({ method: 'POST', url: `${O}/policies`, headers: auth, payload: { name: `bad-${s}`, policy_text: 'Nope()' } }), 400, 'BAD_REQUEST', 'an invalid text');
  isError(t, await app.inject({ method: 'POST', url: `${O}/policies`, headers: auth, payload: { name: `x-${s}` } }), 400, 'BAD_REQUEST', 'no policy_text');
  const made = [];
  for (const n of ['b', 'a', 'c']) {
    res = await app.inject({ method: 'POST', url: `${O}/policies`, headers: auth, payload: { name: `pol-${n}-${s}`, description: n, policy_text: 'ListRepositories()\n' } });
    t.equal(res.statusCode, 201, res.body);
    made.push(res.json());
  }
  t.match(made[0], { name: `pol-b-${s}`, description: 'b', policy_text: 'ListRepositories()\n', is_builtin: false, created_by_type: 'user' });
  isError(t, await app.inject({ method: 'POST', url: `${O}/policies`, headers: auth, payload: { name: `pol-a-${s}`, policy_text: 'GetObject()' } }), 409, 'CONFLICT', 'a taken name');

  const { results, pages } = await allPages<{ name: string; is_builtin: boolean; policy_text?: string }>(t, app, `${O}/policies`, auth, 2);
  t.ok(pages >= 3, 'across pages');
  const mine = results.filter((p) => p.name.endsWith(s));
  t.same(mine.map((p) => p.name), [`pol-a-${s}`, `pol-b-${s}`, `pol-c-${s}`], 'by name');
  t.notOk(results.some((p) => 'policy_text' in p), 'summaries carry no text');
  const admin = results.find((p) => p.name === 'Admin') as unknown as { id: string; is_builtin: boolean };
  t.equal(admin.is_builtin, true, 'organizations have the built-in policies');
  isError(t, await app.inject({ method: 'PUT', url: `${O}/policies/${admin.id}`, headers: auth, payload: { policy_text: 'GetObject()' } }), 403, 'FORBIDDEN', 'built-ins are read-only');
  isError(t, await app.inject({ method: 'DELETE', url: `${O}/policies/${admin.id}`, headers: auth }), 400, 'BAD_REQUEST', 'a built-in cannot be deleted');

  const P = `${O}/policies/${made[0].id}`;
  res = await app.inject({ method: 'PUT', url: P, headers: auth, payload: { description: 'changed' } });
  t.match(res.json(), { description: 'changed', policy_text: 'ListRepositories()\n', name: `pol-b-${s}` }, 'only the given keys change');
  res = await app.inject({ method: 'PUT', url: P, headers: auth, payload: { name: `pol-b2-${s}`, policy_text: 'GetRepository()\n' } });
  t.match(res.json(), { name: `pol-b2-${s}`, policy_text: 'GetRepository()\n' });
  isError(t, await app.inject({ method: 'PUT', url: P, headers: auth, payload: { policy_text: 'Broken(' } }), 400, 'BAD_REQUEST', 'an invalid new text');
  isError(t, await app.inject({ method: 'PUT', url: P, headers: auth, payload: { name: `pol-a-${s}` } }), 409, 'CONFLICT', 'renaming onto a taken name');
  isError(t, await app.inject({ method: 'PUT', url: `${O}/policies/${NO_SUCH}`, headers: auth, payload: { description: 'x' } }), 404, 'NOT_FOUND', 'updating an unknown policy');
  isError(t, await app.inject({ method: 'GET', url: `${O}/policies/${NO_SUCH}`, headers: auth }), 404, 'NOT_FOUND', 'an unknown policy');
  isError(t, await app.inject({ method: 'GET', url: `${O}/policies/not-a-uuid`, headers: auth }), 400, 'BAD_REQUEST', 'a policy id that is no uuid');

  const plain = await memberWith(env, `plain-${s}`, 'ListRepositories()\n');
  isError(t, await app.inject({ method: 'GET', url: `${O}/policies`, headers: plain.auth }), 403, 'FORBIDDEN', 'listing without ManagePolicies');
  isError(t, await app.inject({ method: 'POST', url: `${O}/policies`, headers: plain.auth, payload: { name: `p-${s}`, policy_text: '' } }), 403, 'FORBIDDEN', 'creating without ManagePolicies');
  isError(t, await app.inject({ method: 'GET', url: `${O}/attachments`, headers: plain.auth }), 403, 'FORBIDDEN', 'attachments without ManagePolicies');

  t.equal((await app.inject({ method: 'DELETE', url: P, headers: auth })).statusCode, 204);
  isError(t, await app.inject({ method: 'DELETE', url: P, headers: auth }), 404, 'NOT_FOUND', 'deleting it again');
});

forEachBackend(t, 'attachments change what a principal may do', async (t, db) => {
  const env = await buildTestApp(t, db);
  const { app, auth } = env;
  const s = unique();
  const policy = (await app.inject({ method: 'POST', url: `${O}/policies`, headers: auth, payload: { name: `list-${s}`, policy_text: 'ListRepositories()\n' } })).json();
  const P = `${O}/policies/${policy.id}`;
  const { user, auth: userAuth } = await memberWith(env, `pol-${s}`, null);
  isError(t, await app.inject({ method: 'GET', url: `${O}/repositories`, headers: userAuth }), 403, 'FORBIDDEN', 'no policy, no listing');

  t.equal((await app.inject({ method: 'POST', url: `${P}/attachments`, headers: auth, payload: { principal_type: 'user', principal_id: user.id } })).statusCode, 201);
  t.equal((await app.inject({ method: 'GET', url: `${O}/repositories`, headers: userAuth })).statusCode, 200, 'the attached policy allows it');
  isError(t, await app.inject({ method: 'POST', url: `${P}/attachments`, headers: auth, payload: { principal_type: 'robot', principal_id: user.id } }), 400, 'BAD_REQUEST', 'an unknown principal type');
  isError(t, await app.inject({ method: 'POST', url: `${P}/attachments`, headers: auth, payload: { principal_type: 'user', principal_id: NO_SUCH } }), 404, 'NOT_FOUND', 'an unknown principal');
  isError(t, await app.inject({ method: 'POST', url: `${P}/attachments`, headers: auth, payload: { principal_type: 'role', principal_id: user.id } }), 404, 'NOT_FOUND', 'a principal of another type');
  isError(t, await app.inject({ method: 'POST', url: `${O}/policies/${NO_SUCH}/attachments`, headers: auth, payload: { principal_type: 'user', principal_id: user.id } }), 404, 'NOT_FOUND', 'an unknown policy');

  let res = await app.inject({ method: 'GET', url: P, headers: auth });
  t.match(res.json(), { policy: { id: policy.id, attachment_count: 1, policy_text: 'ListRepositories()\n' }, attachments: [{ principal_id: user.id, principal_type: 'user', principal_name: user.name, policy_name: `list-${s}` }] });
  res = await app.inject({ method: 'GET', url: `${O}/attachments`, headers: auth });
  t.ok(res.json().results.some((a: { policy_id: string; principal_id: string }) => a.policy_id === policy.id && a.principal_id === user.id), 'listed among the organization\'s attachments');

  isError(t, await app.inject({ method: 'DELETE', url: `${P}/attachments?principal_type=user`, headers: auth }), 400, 'BAD_REQUEST', 'detaching without principal_id');
  t.equal((await app.inject({ method: 'DELETE', url: `${P}/attachments?principal_type=user&principal_id=${user.id}`, headers: auth })).statusCode, 204);
  isError(t, await app.inject({ method: 'GET', url: `${O}/repositories`, headers: userAuth }), 403, 'FORBIDDEN', 'detached: denied again');
  isError(t, await app.inject({ method: 'DELETE', url: `${P}/attachments?principal_type=user&principal_id=${user.id}`, headers: auth }), 404, 'NOT_FOUND', 'detaching what is not attached');
});
