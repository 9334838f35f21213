// /auth/me and the caller's own keys (API-CONTRACT §0.1, §2.1), and how the authentication
// methods fall through.
import t from 'tap';
import { organizations, principals } from '../../src/catalog/index.js';
import { issueKey } from '../../src/core/keys.js';
import { forEachBackend } from '../helpers/catalog.js';
import { buildTestApp } from '../helpers/app.js';
import { allPages, isError, quickPasswordHash, unique } from './fixtures.js';

const basic = (login: string, password: string) => ({ authorization: `Basic ${Buffer.from(`${login}:${password}`).toString('base64')}` });

forEachBackend(t, '/auth/me and the caller keys', async (t, db) => {
  const env = await buildTestApp(t, db);
  const { app, auth } = env;
  let res = await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: auth });
  t.equal(res.statusCode, 200);
  t.match(res.json(), { user: { username: 'admin', source: 'local', status: 'active' }, has_password: false });
  t.ok(res.json().organizations.some((o: { name: string }) => o.name === 'default'));
  isError(t, await app.inject({ method: 'GET', url: '/api/v1/auth/me' }), 401, 'UNAUTHORIZED', 'no credentials');

  // A user of its own, so the key list holds exactly what this test made.
  const s = unique();
  const user = await principals.createUser(db, { username: `keys-${s}` });
  const { token } = await issueKey(env.services, user, { name: 'first' });
  const mine = { authorization: `Bearer ${token}` };
  const created = [];
  for (const n of [1, 2, 3, 4]) {
    res = await app.inject({ method: 'POST', url: '/api/v1/auth/keys', headers: mine, payload: { name: `laptop ${n}`, description: 'd', unknown: 1 } });
    t.equal(res.statusCode, 201);
    created.push(res.json());
  }
  const key = created[0];
  t.match(key.token, /^tuk-[A-Za-z0-9]{43}$/);
  t.match(key.id, /^TK[A-Z0-9]{18}$/);
  t.match(key, { name: 'laptop 1', description: 'd', token_hint: key.token.slice(-4), user_id: user.id, access_key_id: key.id, secret_access_key: key.token });
  isError(t, await app.inject({ method: 'POST', url: '/api/v1/auth/keys', headers: mine, payload: {} }), 400, 'BAD_REQUEST', 'a key without a name');
  isError(t, await app.inject({ method: 'POST', url: '/api/v1/auth/keys', headers: mine, payload: { name: '' } }), 400, 'BAD_REQUEST', 'an empty name');
  isError(t, await app.inject({ method: 'POST', url: '/api/v1/auth/keys', payload: { name: 'x' } }), 401, 'UNAUTHORIZED', 'creating without credentials');

  const { results, pages } = await allPages<{ id: string; token?: string; token_hint: string }>(t, app, '/api/v1/auth/keys', mine, 2);
  t.equal(results.length, 5, 'the first key and four more');
  t.equal(pages, 3);
  t.equal(new Set(results.map((k) => k.id)).size, 5, 'no key twice');
  t.notOk(results.some((k) => 'token' in k), 'never with their tokens');
  t.equal(results.find((k) => k.id === key.id)!.token_hint, key.token.slice(-4));
  isError(t, await app.inject({ method: 'GET', url: '/api/v1/auth/keys' }), 401, 'UNAUTHORIZED', 'listing without credentials');

  t.equal((await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `Bearer ${key.token}` } })).statusCode, 200, 'a new key works');
  isError(t, await app.inject({ method: 'DELETE', url: `/api/v1/auth/keys/${key.id}`, headers: auth }), 404, 'NOT_FOUND', "revoking another principal's key");
  t.equal((await app.inject({ method: 'DELETE', url: `/api/v1/auth/keys/${key.id}`, headers: mine })).statusCode, 204);
  isError(t, await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `Bearer ${key.token}` } }), 401, 'UNAUTHORIZED', 'a revoked key, at once');
  t.equal((await app.inject({ method: 'DELETE', url: `/api/v1/auth/keys/${key.id}`, headers: mine })).statusCode, 204, 'revoking again changes nothing');
  isError(t, await app.inject({ method: 'DELETE', url: '/api/v1/auth/keys/TKNOSUCHKEY000000000', headers: mine }), 404, 'NOT_FOUND', 'an unknown key');
  const listed = (await allPages<{ id: string; revoked_at: string | null }>(t, app, '/api/v1/auth/keys', mine, 100)).results.find((k) => k.id === key.id);
  t.ok(listed && listed.revoked_at && !Number.isNaN(Date.parse(listed.revoked_at)), 'a revoked key is listed with revoked_at');
});

forEachBackend(t, 'authentication methods: Bearer, Basic, fall-through', async (t, db) => {
  const env = await buildTestApp(t, db);
  const { app } = env;
  const s = unique();
  const user = await principals.createUser(db, { username: `pw-${s}`, email: `pw-${s}@example.com`, passwordHash: await quickPasswordHash('correct horse') });
  await organizations.addMember(db, (await organizations.getOrganizationByName(db, 'default')).id, user.id);

  let res = await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: basic(user.name, 'correct horse') });
  t.equal(res.statusCode, 200, 'Basic with the username');
  t.equal(res.json().has_password, true);
  t.equal((await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: basic(`PW-${s}@EXAMPLE.COM`, 'correct horse') })).json().user.id, user.id, 'Basic with the e-mail, in any case');
  isError(t, await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: basic(user.name, 'wrong') }), 401, 'UNAUTHORIZED', 'a wrong password');
  isError(t, await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: basic('nobody', 'x') }), 401, 'UNAUTHORIZED', 'an unknown login');
  isError(t, await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: 'Bearer tuk-not-a-real-token' } }), 401, 'UNAUTHORIZED', 'an unknown token');
  // An expired key is no credential: the request goes on as if it had none (API-CONTRACT §0.1).
  const expired = { authorization: `Bearer ${(await issueKey(env.services, user, { name: 'old', expiresAt: new Date(Date.now() - 1000) })).token}` };
  t.equal((await app.inject({ method: 'GET', url: '/api/v1/healthcheck', headers: expired })).statusCode, 200, 'an expired key falls through on a public route');
  isError(t, await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: expired }), 401, 'UNAUTHORIZED', 'and is no credential');
  const login = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login: user.name, password: 'correct horse' } });
  const cookie = String(login.headers['set-cookie']).split(';')[0]!;
  t.equal((await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { ...expired, cookie } })).json().user.id, user.id, 'on to the next method, the cookie');
  const revoked = await issueKey(env.services, user, { name: 'revoked' });
  await app.inject({ method: 'DELETE', url: `/api/v1/auth/keys/${revoked.key.id}`, headers: { authorization: `Bearer ${revoked.token}` } });
  isError(t, await app.inject({ method: 'GET', url: '/api/v1/healthcheck', headers: { authorization: `Bearer ${revoked.token}`, cookie } }), 401, 'UNAUTHORIZED', 'a revoked key is refused, even on a public route');
  // Another scheme (an S3 signature on a REST path) is not ours: it falls through to "no credentials".
  res = await app.inject({ method: 'GET', url: '/api/v1/healthcheck', headers: { authorization: 'AWS4-HMAC-SHA256 Credential=x' } });
  t.equal(res.statusCode, 200, 'an unknown scheme falls through on a public route');
  isError(t, await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: 'AWS4-HMAC-SHA256 Credential=x' } }), 401, 'UNAUTHORIZED', 'and is no credential');
});
