// Per-key rate limits: headers on every response, 429 with Retry-After past the limit,
// counted in the catalog (so shared by every process on it), per key.
import t from 'tap';
import { issueKey } from '../../src/core/keys.js';
import { principals } from '../../src/catalog/index.js';
import { forEachBackend } from '../helpers/catalog.js';
import { buildTestApp } from '../helpers/app.js';

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
