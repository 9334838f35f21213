// Organizations and members through REST (API-CONTRACT §2.2).
import t from 'tap';
import { principals } from '../../src/catalog/index.js';
import { forEachBackend } from '../helpers/catalog.js';
import { buildTestApp } from '../helpers/app.js';
import { isError, memberWith, outsider, unique } from './fixtures.js';

forEachBackend(t, 'organizations: create, list, get, delete', async (t, db) => {
  const env = await buildTestApp(t, db);
  const { app, auth } = env;
  const name = `org-${unique()}`;
  let res = await app.inject({ method: 'POST', url: '/api/v1/organizations', headers: auth, payload: { name, display_name: 'Org', extra: true } });
  t.equal(res.statusCode, 201, res.body);
  t.match(res.json(), { name, display_name: 'Org', status: 'active' });
  t.match(res.json().id, /^[0-9a-f-]{36}$/);
  isError(t, await app.inject({ method: 'POST', url: '/api/v1/organizations', headers: auth, payload: { name, display_name: 'Again' } }), 409, 'CONFLICT', 'a taken name');
  isError(t, await app.inject({ method: 'POST', url: '/api/v1/organizations', headers: auth, payload: { name: 'Not A Slug', display_name: 'x' } }), 400, 'BAD_REQUEST', 'a name that is no slug');
  isError(t, await app.inject({ method: 'POST', url: '/api/v1/organizations', headers: auth, payload: { name: `x-${name}` } }), 400, 'BAD_REQUEST', 'no display_name');
  isError(t, await app.inject({ method: 'POST', url: '/api/v1/organizations', payload: { name: `x-${name}`, display_name: 'x' } }), 401, 'UNAUTHORIZED', 'without credentials');

  res = await app.inject({ method: 'GET', url: '/api/v1/organizations', headers: auth });
  t.ok(res.json().results.some((o: { name: string }) => o.name === name), 'the creator lists it');
  t.notOk('pagination' in res.json(), 'a complete list');
  t.equal((await app.inject({ method: 'GET', url: `/api/v1/organizations/${name}`, headers: auth })).json().display_name, 'Org');
  isError(t, await app.inject({ method: 'GET', url: '/api/v1/organizations/no-such-org-here', headers: auth }), 404, 'NOT_FOUND', 'an unknown organization');
  isError(t, await app.inject({ method: 'GET', url: '/api/v1/organizations' }), 401, 'UNAUTHORIZED', 'listing without credentials');
  const stranger = await outsider(env, `stranger-${name}`);
  isError(t, await app.inject({ method: 'GET', url: `/api/v1/organizations/${name}`, headers: stranger }), 404, 'NOT_FOUND', "an organization the caller is not in");
  t.same((await app.inject({ method: 'GET', url: '/api/v1/organizations', headers: stranger })).json().results, [], 'a user of no organization lists none');

  const plain = await memberWith(env, `plain-${name}`, 'ListRepositories()\n');
  isError(t, await app.inject({ method: 'DELETE', url: '/api/v1/organizations/default', headers: plain.auth }), 403, 'FORBIDDEN', 'deleting without AdminOrganization');
  t.equal((await app.inject({ method: 'DELETE', url: `/api/v1/organizations/${name}`, headers: auth })).statusCode, 204);
  isError(t, await app.inject({ method: 'GET', url: `/api/v1/organizations/${name}`, headers: auth }), 404, 'NOT_FOUND', 'a deleted organization');
  isError(t, await app.inject({ method: 'DELETE', url: `/api/v1/organizations/${name}`, headers: auth }), 404, 'NOT_FOUND', 'deleting it again');
});

forEachBackend(t, 'members: list, add by username, remove', async (t, db) => {
  const env = await buildTestApp(t, db);
  const { app, auth } = env;
  const name = `mem-${unique()}`;
  await app.inject({ method: 'POST', url: '/api/v1/organizations', headers: auth, payload: { name, display_name: 'Members' } });
  const M = `/api/v1/organizations/${name}/members`;
  const user = await principals.createUser(db, { username: `member-${name}`, email: `${name}@example.com`, fullName: 'Ann Member' });

  t.equal((await app.inject({ method: 'POST', url: M, headers: auth, payload: { username: user.name } })).statusCode, 201);
  isError(t, await app.inject({ method: 'POST', url: M, headers: auth, payload: { username: user.name } }), 409, 'CONFLICT', 'already a member');
  isError(t, await app.inject({ method: 'POST', url: M, headers: auth, payload: { username: 'nobody-here' } }), 404, 'NOT_FOUND', 'no such user');
  isError(t, await app.inject({ method: 'POST', url: M, headers: auth, payload: {} }), 400, 'BAD_REQUEST', 'no username');
  isError(t, await app.inject({ method: 'POST', url: '/api/v1/organizations/no-such-org-here/members', headers: auth, payload: { username: user.name } }), 404, 'NOT_FOUND', 'an unknown organization');

  const res = await app.inject({ method: 'GET', url: M, headers: auth });
  const listed = res.json().results.find((m: { user_id: string }) => m.user_id === user.id);
  t.match(listed, { username: user.name, email: `${name}@example.com`, full_name: 'Ann Member' });
  t.ok(!Number.isNaN(Date.parse(listed.joined_at)));
  isError(t, await app.inject({ method: 'GET', url: '/api/v1/organizations/no-such-org-here/members', headers: auth }), 404, 'NOT_FOUND', 'members of an unknown organization');

  // A member without AdminOrganization may look but not change.
  const plain = await memberWith(env, `plain-${name}`, 'ListRepositories()\n');
  t.equal((await app.inject({ method: 'GET', url: '/api/v1/organizations/default/members', headers: plain.auth })).statusCode, 200);
  isError(t, await app.inject({ method: 'POST', url: '/api/v1/organizations/default/members', headers: plain.auth, payload: { username: user.name } }), 403, 'FORBIDDEN', 'adding without AdminOrganization');
  isError(t, await app.inject({ method: 'DELETE', url: `/api/v1/organizations/default/members/${plain.user.id}`, headers: plain.auth }), 403, 'FORBIDDEN', 'removing without AdminOrganization');

  t.equal((await app.inject({ method: 'DELETE', url: `${M}/${user.id}`, headers: auth })).statusCode, 204);
  isError(t, await app.inject({ method: 'DELETE', url: `${M}/${user.id}`, headers: auth }), 404, 'NOT_FOUND', 'no longer a member');
  isError(t, await app.inject({ method: 'DELETE', url: `${M}/not-a-uuid`, headers: auth }), 400, 'BAD_REQUEST', 'a user id that is no uuid');
});
