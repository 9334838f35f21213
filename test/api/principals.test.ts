// Roles and agents through REST (API-CONTRACT §2.9): creation, validated inline policies,
// keys with their prefixes across pages, deletion revoking keys, and the errors.
import t from 'tap';
import { forEachBackend } from '../helpers/catalog.js';
import { buildTestApp } from '../helpers/app.js';
import { allPages, isError, memberWith, O, unique } from './fixtures.js';

forEachBackend(t, 'agents: create, validate, update, keys, delete', async (t, db) => {
  const env = await buildTestApp(t, db);
  const { app, auth } = env;
  const s = unique();
  let res = await app.inject({ method: 'POST', url: `${O}/agents`, headers: auth, payload: { name: `bad-${s}`, inline_policy: 'GetObjekt()\n' } });
  isError(t, res, 400, 'BAD_REQUEST', 'an invalid inline policy');
  t.match(res.json().message, /line 1, column 1/);
  isError(t, await app.inject({ method: 'POST', url: `${O}/agents`, headers: auth, payload: { name: 'Bad Name' } }), 400, 'BAD_REQUEST', 'a name that is no slug');
  isError(t, await app.inject({ method: 'POST', url: `${O}/agents`, headers: auth, payload: { name: `m-${s}`, metadata: { n: 1 } } }), 400, 'BAD_REQUEST', 'metadata values that are no strings');

  res = await app.inject({ method: 'POST', url: `${O}/agents`, headers: auth, payload: { name: `bot-${s}`, description: 'etl', metadata: { team: 'data' }, inline_policy: 'ListRepositories()\n' } });
  t.equal(res.statusCode, 201, res.body);
  t.match(res.json(), { name: `bot-${s}`, description: 'etl', metadata: { team: 'data' }, inline_policy: 'ListRepositories()\n', created_by_type: 'user' });
  t.ok(!Number.isNaN(Date.parse(res.json().inline_policy_updated_at)));
  isError(t, await app.inject({ method: 'POST', url: `${O}/agents`, headers: auth, payload: { name: `bot-${s}` } }), 409, 'CONFLICT', 'a taken name');
  t.match((await app.inject({ method: 'GET', url: `${O}/agents/bot-${s}`, headers: auth })).json(), { name: `bot-${s}`, metadata: { team: 'data' } });
  isError(t, await app.inject({ method: 'GET', url: `${O}/agents/none-${s}`, headers: auth }), 404, 'NOT_FOUND', 'an unknown agent');

  const keys = [];
  for (const n of [1, 2, 3]) {
    res = await app.inject({ method: 'POST', url: `${O}/agents/bot-${s}/auth/keys`, headers: auth, payload: { name: `k${n}` } });
    t.equal(res.statusCode, 201);
    keys.push(res.json());
  }
  t.match(keys[0].token, /^tak-/);
  isError(t, await app.inject({ method: 'POST', url: `${O}/agents/bot-${s}/auth/keys`, headers: auth, payload: {} }), 400, 'BAD_REQUEST', 'a key without a name');
  isError(t, await app.inject({ method: 'POST', url: `${O}/agents/none-${s}/auth/keys`, headers: auth, payload: { name: 'k' } }), 404, 'NOT_FOUND', 'a key for an unknown agent');
  const listed = await allPages<{ id: string; token_hint: string }>(t, app, `${O}/agents/bot-${s}/auth/keys`, auth, 2);
  t.same(listed.results.map((k) => k.id), keys.map((k) => k.id).sort(), 'every key once, by id');
  t.equal(listed.pages, 2);
  t.equal((await app.inject({ method: 'GET', url: `${O}/agents/bot-${s}/auth/keys/${keys[0].id}`, headers: auth })).json().token_hint, keys[0].token.slice(-4));
  isError(t, await app.inject({ method: 'GET', url: `${O}/agents/bot-${s}/auth/keys/TKNOSUCHKEY000000000`, headers: auth }), 404, 'NOT_FOUND', 'an unknown key');

  const bot = { authorization: `Bearer ${keys[0].token}` };
  t.equal((await app.inject({ method: 'GET', url: `${O}/repositories`, headers: bot })).statusCode, 200, 'the inline policy grants ListRepositories');
  isError(t, await app.inject({ method: 'POST', url: `${O}/repositories`, headers: bot, payload: { name: `r-${s}` } }), 403, 'FORBIDDEN', 'and nothing more');
  isError(t, await app.inject({ method: 'PUT', url: `${O}/agents/bot-${s}`, headers: auth, payload: { inline_policy: 'Nope(' } }), 400, 'BAD_REQUEST', 'an invalid update');
  res = await app.inject({ method: 'PUT', url: `${O}/agents/bot-${s}`, headers: auth, payload: { description: 'nightly' } });
  t.match(res.json(), { description: 'nightly', inline_policy: 'ListRepositories()\n', metadata: { team: 'data' } }, 'only the given keys change');
  res = await app.inject({ method: 'PUT', url: `${O}/agents/bot-${s}`, headers: auth, payload: { inline_policy: '' } });
  t.equal(res.json().inline_policy, '', '"" clears the inline policy');
  isError(t, await app.inject({ method: 'GET', url: `${O}/repositories`, headers: bot }), 403, 'FORBIDDEN', 'an agent without a policy can do nothing');
  isError(t, await app.inject({ method: 'PUT', url: `${O}/agents/none-${s}`, headers: auth, payload: { description: 'x' } }), 404, 'NOT_FOUND', 'updating an unknown agent');

  t.equal((await app.inject({ method: 'DELETE', url: `${O}/agents/bot-${s}/auth/keys/${keys[1].id}`, headers: auth })).statusCode, 204);
  isError(t, await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `Bearer ${keys[1].token}` } }), 401, 'UNAUTHORIZED', 'a revoked agent key');
  isError(t, await app.inject({ method: 'DELETE', url: `${O}/agents/bot-${s}/auth/keys/TKNOSUCHKEY000000000`, headers: auth }), 404, 'NOT_FOUND', 'revoking an unknown key');
  t.equal((await app.inject({ method: 'DELETE', url: `${O}/agents/bot-${s}`, headers: auth })).statusCode, 204);
  isError(t, await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bot }), 401, 'UNAUTHORIZED', 'deleting the agent revoked its keys');
  isError(t, await app.inject({ method: 'DELETE', url: `${O}/agents/bot-${s}`, headers: auth }), 404, 'NOT_FOUND', 'deleting it again');
});

forEachBackend(t, 'roles: pages, keys, RBAC', async (t, db) => {
  const env = await buildTestApp(t, db);
  const { app, auth } = env;
  const s = unique();
  for (const n of ['c', 'a', 'b']) t.equal((await app.inject({ method: 'POST', url: `${O}/roles`, headers: auth, payload: { name: `role-${n}-${s}`, description: n } })).statusCode, 201);
  isError(t, await app.inject({ method: 'POST', url: `${O}/roles`, headers: auth, payload: { name: `role-a-${s}` } }), 409, 'CONFLICT', 'a taken role name');
  isError(t, await app.inject({ method: 'POST', url: `${O}/roles`, headers: auth, payload: {} }), 400, 'BAD_REQUEST', 'a role without a name');
  let res = await app.inject({ method: 'POST', url: `${O}/roles/role-a-${s}/auth/keys`, headers: auth, payload: { name: 'k' } });
  t.match(res.json().token, /^trk-/);
  const roleKey = res.json();
  t.match((await app.inject({ method: 'GET', url: `${O}/roles/role-a-${s}`, headers: auth })).json(), { name: `role-a-${s}`, description: 'a' });
  t.notOk('inline_policy' in (await app.inject({ method: 'GET', url: `${O}/roles/role-a-${s}`, headers: auth })).json(), 'a role has no inline policy');

  const { results, pages } = await allPages<{ name: string }>(t, app, `${O}/roles`, auth, 1);
  t.same(results.map((r) => r.name).filter((n) => n.endsWith(s)), [`role-a-${s}`, `role-b-${s}`, `role-c-${s}`], 'roles page by name');
  t.ok(pages >= 3);
  const agents = await allPages(t, app, `${O}/agents`, auth, 1000);
  t.equal(agents.pages, 1, 'one page when everything fits');

  const plain = await memberWith(env, `plain-${s}`, 'ListRepositories()\n');
  for (const [method, url] of [['GET', `${O}/roles`], ['GET', `${O}/roles/role-a-${s}`], ['DELETE', `${O}/roles/role-b-${s}`], ['GET', `${O}/agents`], ['GET', `${O}/roles/role-a-${s}/auth/keys`]] as const) {
    isError(t, await app.inject({ method, url, headers: plain.auth }), 403, 'FORBIDDEN', `${method} ${url.slice(O.length)} without ManagePrincipals`);
  }
  isError(t, await app.inject({ method: 'POST', url: `${O}/roles`, headers: plain.auth, payload: { name: `x-${s}` } }), 403, 'FORBIDDEN', 'creating without ManagePrincipals');

  t.equal((await app.inject({ method: 'DELETE', url: `${O}/roles/role-a-${s}`, headers: auth })).statusCode, 204);
  isError(t, await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `Bearer ${roleKey.token}` } }), 401, 'UNAUTHORIZED', 'deleting the role revoked its keys');
  isError(t, await app.inject({ method: 'GET', url: `${O}/roles/role-a-${s}`, headers: auth }), 404, 'NOT_FOUND', 'a deleted role');
  res = await app.inject({ method: 'GET', url: `${O}/roles/role-b-${s}/auth/keys`, headers: auth });
  t.same(res.json().results, [], 'a role without keys lists none');
});
