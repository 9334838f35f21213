// Organizations, members, /auth/me and the caller's own keys.
import t from 'tap';
import { principals } from '../../src/catalog/index.js';
import { forEachBackend } from '../helpers/catalog.js';
import { buildTestApp } from '../helpers/app.js';

forEachBackend(t, 'organizations, members and keys', async (t, db) => {
  const { app, auth } = await buildTestApp(t, db);
  const name = `org-${Date.now().toString(36)}`;
  let res = await app.inject({ method: 'POST', url: '/api/v1/organizations', headers: auth, payload: { name, display_name: 'Org' } });
  t.equal(res.statusCode, 201, res.body);
  t.equal((await app.inject({ method: 'POST', url: '/api/v1/organizations', headers: auth, payload: { name, display_name: 'Again' } })).statusCode, 409);
  res = await app.inject({ method: 'GET', url: '/api/v1/organizations', headers: auth });
  t.ok(res.json().results.some((o: { name: string }) => o.name === name));
  t.equal((await app.inject({ method: 'GET', url: `/api/v1/organizations/${name}`, headers: auth })).json().display_name, 'Org');

  const user = await principals.createUser(db, { username: `member-${name}` });
  res = await app.inject({ method: 'POST', url: `/api/v1/organizations/${name}/members`, headers: auth, payload: { username: user.name } });
  t.equal(res.statusCode, 201);
  t.equal((await app.inject({ method: 'POST', url: `/api/v1/organizations/${name}/members`, headers: auth, payload: { username: user.name } })).statusCode, 409);
  t.equal((await app.inject({ method: 'POST', url: `/api/v1/organizations/${name}/members`, headers: auth, payload: { username: 'nobody-here' } })).statusCode, 404);
  res = await app.inject({ method: 'GET', url: `/api/v1/organizations/${name}/members`, headers: auth });
  t.ok(res.json().results.some((m: { user_id: string }) => m.user_id === user.id));
  t.equal((await app.inject({ method: 'DELETE', url: `/api/v1/organizations/${name}/members/${user.id}`, headers: auth })).statusCode, 204);

  res = await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: auth });
  t.equal(res.json().user.username, 'admin');
  t.equal(res.json().has_password, false);

  res = await app.inject({ method: 'POST', url: '/api/v1/auth/keys', headers: auth, payload: { name: 'laptop' } });
  t.equal(res.statusCode, 201);
  const created = res.json();
  t.match(created.token, /^tuk-[A-Za-z0-9]{43}$/);
  t.equal(created.token_hint, created.token.slice(-4));
  const mine = { authorization: `Bearer ${created.token}` };
  res = await app.inject({ method: 'GET', url: '/api/v1/auth/keys?amount=1000', headers: mine });
  const listed = res.json().results.find((k: { id: string }) => k.id === created.id);
  t.ok(listed, 'the new key is listed');
  t.notOk('token' in listed, 'never with its token');
  t.equal((await app.inject({ method: 'DELETE', url: `/api/v1/auth/keys/${created.id}`, headers: auth })).statusCode, 204);
  t.equal((await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: mine })).statusCode, 401, 'a revoked key answers 401 at once');
});
