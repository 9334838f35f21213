// Roles and agents through REST: creation, validated inline policies, keys with their
// prefixes, and deletion revoking keys.
import t from 'tap';
import { forEachBackend } from '../helpers/catalog.js';
import { buildTestApp } from '../helpers/app.js';

forEachBackend(t, 'roles and agents with their keys', async (t, db) => {
  const { app, auth } = await buildTestApp(t, db);
  const s = Date.now().toString(36);
  const O = '/api/v1/organizations/default';
  let res = await app.inject({ method: 'POST', url: `${O}/agents`, headers: auth, payload: { name: `bad-${s}`, inline_policy: 'GetObjekt()\n' } });
  t.equal(res.statusCode, 400, 'an invalid inline policy is refused');
  t.match(res.json().message, /line 1, column 1/);

  res = await app.inject({ method: 'POST', url: `${O}/agents`, headers: auth, payload: { name: `bot-${s}`, description: 'etl', metadata: { team: 'data' }, inline_policy: 'ListRepositories()\n' } });
  t.equal(res.statusCode, 201, res.body);
  t.match(res.json(), { name: `bot-${s}`, metadata: { team: 'data' }, inline_policy: 'ListRepositories()\n', created_by_type: 'user' });
  t.equal((await app.inject({ method: 'POST', url: `${O}/agents`, headers: auth, payload: { name: `bot-${s}` } })).statusCode, 409);

  res = await app.inject({ method: 'POST', url: `${O}/agents/bot-${s}/auth/keys`, headers: auth, payload: { name: 'ci' } });
  t.equal(res.statusCode, 201);
  const key = res.json();
  t.match(key.token, /^tak-/);
  const bot = { authorization: `Bearer ${key.token}` };
  t.equal((await app.inject({ method: 'GET', url: `${O}/repositories`, headers: bot })).statusCode, 200, 'the inline policy grants ListRepositories');

  res = await app.inject({ method: 'PUT', url: `${O}/agents/bot-${s}`, headers: auth, payload: { inline_policy: '' } });
  t.equal(res.json().inline_policy, '', '"" clears the inline policy');
  t.equal((await app.inject({ method: 'GET', url: `${O}/repositories`, headers: bot })).statusCode, 403, 'an agent without a policy can do nothing');
  t.equal((await app.inject({ method: 'GET', url: `${O}/agents/bot-${s}/auth/keys/${key.id}`, headers: auth })).json().token_hint, key.token.slice(-4));

  t.equal((await app.inject({ method: 'DELETE', url: `${O}/agents/bot-${s}`, headers: auth })).statusCode, 204);
  t.equal((await app.inject({ method: 'GET', url: `${O}/repositories`, headers: bot })).statusCode, 401, "deleting the agent revoked its keys");

  for (const n of ['a', 'b', 'c']) t.equal((await app.inject({ method: 'POST', url: `${O}/roles`, headers: auth, payload: { name: `role-${n}-${s}` } })).statusCode, 201);
  res = await app.inject({ method: 'POST', url: `${O}/roles/role-a-${s}/auth/keys`, headers: auth, payload: { name: 'k' } });
  t.match(res.json().token, /^trk-/);
  const names: string[] = [];
  let after = '';
  for (;;) {
    const page = (await app.inject({ method: 'GET', url: `${O}/roles?amount=2${after ? `&after=${after}` : ''}`, headers: auth })).json();
    names.push(...page.results.map((r: { name: string }) => r.name));
    if (!page.pagination.has_more) break;
    after = page.pagination.next_offset;
  }
  t.same(names.filter((n) => n.endsWith(s)), [`role-a-${s}`, `role-b-${s}`, `role-c-${s}`], 'roles page by name');
});
