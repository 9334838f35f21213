// POST /auth/login and /auth/logout (API-CONTRACT §2.1): the session cookie, what the catalog
// keeps of it, how it authenticates and falls through, logout, and login attempts limited per
// login and per client address, counted in the catalog so that every process shares them.
import t from 'tap';
import { organizations, principals, type Db } from '../../src/catalog/index.js';
import { forEachBackend } from '../helpers/catalog.js';
import { buildTestApp } from '../helpers/app.js';
import { isError, O, quickPasswordHash, unique } from './fixtures.js';

const PASSWORD = 'correct horse battery';

async function userWithPassword(db: Db, name: string) {
  const user = await principals.createUser(db, { username: name, email: `${name}@example.com`, passwordHash: await quickPasswordHash(PASSWORD) });
  await organizations.addMember(db, (await organizations.getOrganizationByName(db, 'default')).id, user.id);
  return user;
}

const cookieOf = (setCookie: string | string[] | undefined): string => {
  const line = ([] as string[]).concat(setCookie ?? [])[0] ?? '';
  return line.split(';')[0]!;
};

/** A client address of its own, so parallel runs on one catalog never share a counter. */
const address = () => `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;

forEachBackend(t, 'login sets a session cookie that authenticates until logout', async (t, db) => {
  const env = await buildTestApp(t, db);
  const { app, auth } = env;
  const s = unique();
  const user = await userWithPassword(db, `ann-${s}`);
  const login = (payload: Record<string, unknown>, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url: '/api/v1/auth/login', payload, headers, remoteAddress: address() });

  let res = await login({ login: user.name, password: PASSWORD });
  t.equal(res.statusCode, 200, res.body);
  t.match(res.json(), { user: { id: user.id, username: user.name, email: `ann-${s}@example.com`, status: 'active' } });
  const setCookie = String(res.headers['set-cookie']);
  t.match(setCookie, /^trove_session=[A-Za-z0-9_-]{43}; /, 'a random token');
  for (const attribute of ['HttpOnly', 'SameSite=Lax', 'Path=/api/v1', `Max-Age=${7 * 24 * 3600}`]) t.ok(setCookie.includes(attribute), attribute);
  t.notOk(setCookie.includes('Secure'), 'not Secure over plain HTTP');
  const cookie = { cookie: cookieOf(res.headers['set-cookie']) };
  const token = cookie.cookie.split('=')[1]!;

  const { rows } = await db.query<{ token_lookup: string; expires_at: Date }>('SELECT token_lookup, expires_at FROM auth_sessions WHERE user_id = $1', [user.id]);
  t.equal(rows.length, 1, 'one session in the catalog');
  t.not(rows[0]!.token_lookup, token, 'kept hashed, never the token');
  t.match(rows[0]!.token_lookup, /^[0-9a-f]{64}$/);
  t.ok(rows[0]!.expires_at.getTime() > Date.now() + 6 * 24 * 3600 * 1000, 'with an expiry a week out');

  res = await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: cookie });
  t.equal(res.json().user.id, user.id, 'the cookie authenticates');
  t.equal(res.json().has_password, true);
  t.equal((await app.inject({ method: 'GET', url: `${O}/repositories`, headers: cookie })).statusCode, 403, 'as that user, with its permissions (none here)');
  res = await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { ...cookie, ...auth } });
  t.equal(res.json().user.username, 'admin', 'a Bearer token comes first');
  t.equal((await login({ login: `ANN-${s}@EXAMPLE.COM`, password: PASSWORD })).statusCode, 200, 'the e-mail works as login, in any case');

  // A state-changing call with the cookie from another site's page is refused; from ours it is not.
  res = await app.inject({ method: 'POST', url: '/api/v1/auth/keys', headers: { ...cookie, origin: 'https://evil.example' }, payload: { name: 'x' } });
  isError(t, res, 403, 'FORBIDDEN', 'a cross-origin POST with the cookie');
  res = await app.inject({ method: 'POST', url: '/api/v1/auth/keys', headers: { ...cookie, origin: 'http://localhost:80' }, payload: { name: 'mine' } });
  t.equal(res.statusCode, 201, 'a same-origin POST with the cookie');

  isError(t, await login({ login: user.name, password: 'wrong' }), 401, 'UNAUTHORIZED', 'a wrong password');
  isError(t, await login({ login: `nobody-${s}`, password: PASSWORD }), 401, 'UNAUTHORIZED', 'an unknown login');
  isError(t, await login({ login: user.name }), 400, 'BAD_REQUEST', 'no password');
  isError(t, await login({ password: PASSWORD }), 400, 'BAD_REQUEST', 'no login');
  isError(t, await login({ login: user.name, password: 12345 }), 400, 'BAD_REQUEST', 'a password that is no string');
  const admin = await principals.findUserByName(db, 'admin');
  isError(t, await login({ login: admin!.name, password: '' }), 400, 'BAD_REQUEST', 'an empty password');

  res = await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: cookie });
  t.equal(res.statusCode, 204);
  t.match(String(res.headers['set-cookie']), /^trove_session=; .*Max-Age=0/, 'the cookie is cleared');
  isError(t, await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: cookie }), 401, 'UNAUTHORIZED', 'a revoked session');
  t.equal((await app.inject({ method: 'GET', url: '/api/v1/healthcheck', headers: cookie })).statusCode, 200, 'a stale cookie falls through: public routes still answer');
  t.equal((await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { ...cookie, ...auth } })).statusCode, 200, 'and other methods still work');
  t.equal((await app.inject({ method: 'POST', url: '/api/v1/auth/logout' })).statusCode, 204, 'logout without a cookie');

  // An expired session falls through too.
  const again = cookieOf((await login({ login: user.name, password: PASSWORD })).headers['set-cookie']);
  await db.query("UPDATE auth_sessions SET expires_at = now() - interval '1 second' WHERE user_id = $1", [user.id]);
  isError(t, await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: again } }), 401, 'UNAUTHORIZED', 'an expired session');
});

forEachBackend(t, 'login attempts are limited per login and per address, in the catalog', async (t, db) => {
  // Windows are fixed (multiples of their length since the epoch): take a length whose current
  // window has minutes left, so that every attempt below is counted in one window.
  let windowSeconds = 900;
  while (Date.now() % (windowSeconds * 1000) > (windowSeconds - 120) * 1000) windowSeconds++;
  const limits = { perLogin: 3, perAddress: 5, windowSeconds };
  const first = await buildTestApp(t, db, { loginLimits: limits });
  const second = await buildTestApp(t, db, { loginLimits: limits }); // another process on the same catalog
  const s = unique();
  const user = await userWithPassword(db, `bob-${s}`);
  const other = await userWithPassword(db, `cid-${s}`);
  // Each attempt from an address of its own unless one is given: the per-login count alone.
  const attempt = (app = first.app, login = user.name, password = 'wrong', remoteAddress = address()) =>
    app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login, password }, remoteAddress });

  // A success resets the count of its login.
  t.equal((await attempt()).statusCode, 401);
  t.equal((await attempt()).statusCode, 401);
  t.equal((await attempt(first.app, user.name, PASSWORD)).statusCode, 200, 'the third attempt, right');
  t.same([(await attempt()).statusCode, (await attempt()).statusCode, (await attempt(second.app)).statusCode], [401, 401, 401], 'the count started over');
  const limited = await attempt(second.app, user.name, PASSWORD, address());
  isError(t, limited, 429, 'RATE_LIMITED', 'past the limit of the login, the right password too, from anywhere, on any process');
  const retryAfter = Number(limited.headers['retry-after']);
  t.ok(retryAfter >= 1 && retryAfter <= windowSeconds, `Retry-After ${retryAfter} within the window`);
  t.equal((await attempt(first.app, other.name, PASSWORD, address())).statusCode, 200, 'another login is not limited');

  // Per address: five attempts at any logins, then 429 for that address only.
  const crowded = address();
  const statuses = [];
  for (const login of ['u1', 'u2', 'u3', 'u4', 'u5', 'u6'].map((n) => `${n}-${s}`)) statuses.push((await attempt(first.app, login, 'x', crowded)).statusCode);
  t.same(statuses, [401, 401, 401, 401, 401, 429], 'the sixth attempt from one address is refused');
  isError(t, await attempt(second.app, other.name, PASSWORD, crowded), 429, 'RATE_LIMITED', 'even with a right password, on another process');
  t.equal((await attempt(second.app, other.name, PASSWORD, address())).statusCode, 200, 'another address is not limited');
});
