// Per-key rate limits: headers on every response, 429 with Retry-After past the limit,
// counted in the catalog (so shared by every process on it), per key, or per user without one.
import t from 'tap';
import { issueKey } from '../../src/core/keys.js';
import { principals } from '../../src/catalog/index.js';
import { forEachBackend } from '../helpers/catalog.js';
import { buildTestApp } from '../helpers/app.js';
import { quickPasswordHash } from './fixtures.js';

forEachBackend(t, 'rate limits per key', async (t, db) => {
  const env = await buildTestApp(t, db, { rateLimitPerMinute: 3 });
  const { app, auth } = env;
  // Keep clear of a window boundary, so the four requests share one window.
  const intoWindow = Date.now() % 60_000;
  if (intoWindow > 55_000) await new Promise((r) => setTimeout(r, 60_500 - intoWindow));
  const statuses: number[] = [];
  let last;
  for (let i = 0; i < 4; i++) {
    last = await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: auth });
    statuses.push(last.statusCode);
    t.equal(last.headers['x-ratelimit-limit'], '3');
    t.ok(last.headers['x-ratelimit-reset'], 'a reset time on every response');
  }
  t.same(statuses, [200, 200, 200, 429]);
  t.equal(last!.headers['x-ratelimit-remaining'], '0');
  t.ok(Number(last!.headers['retry-after']) > 0, 'Retry-After on the 429');
  t.equal(last!.json().code, 'RATE_LIMITED');
  const other = await principals.findUserByName(db, 'admin');
  const { token } = await issueKey(env.services, other!, { name: 'second' });
  t.equal((await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `Bearer ${token}` } })).statusCode, 200, 'another key has its own budget');
});

forEachBackend(t, 'callers without a key are limited per user', async (t, db) => {
  const env = await buildTestApp(t, db, { rateLimitPerMinute: 2 });
  const intoWindow = Date.now() % 60_000;
  if (intoWindow > 55_000) await new Promise((r) => setTimeout(r, 60_500 - intoWindow));
  const name = `basic-${Date.now().toString(36)}`;
  await principals.createUser(db, { username: name, passwordHash: await quickPasswordHash('pw-for-limits') });
  const basic = { authorization: `Basic ${Buffer.from(`${name}:pw-for-limits`).toString('base64')}` };
  const statuses = [];
  for (let i = 0; i < 3; i++) {
    const res = await env.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: basic });
    statuses.push(res.statusCode);
    t.equal(res.headers['x-ratelimit-limit'], '2');
  }
  t.same(statuses, [200, 200, 429], 'a password caller has a budget of its own');
});
