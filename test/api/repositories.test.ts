// Repositories through REST (API-CONTRACT §2.3): create, list by name across pages, get,
// update only the given keys, soft delete (410 afterwards), and /repositories across orgs.
import t from 'tap';
import { forEachBackend } from '../helpers/catalog.js';
import { buildTestApp } from '../helpers/app.js';
import { allPages, isError, memberWith, O, outsider, unique } from './fixtures.js';

forEachBackend(t, 'repositories: create, list, get, update, delete', async (t, db) => {
  const env = await buildTestApp(t, db);
  const { app, auth } = env;
  const s = unique();
  const name = `repo-${s}`;

  let res = await app.inject({ method: 'POST', url: `${O}/repositories`, headers: auth, payload: { name, description: 'd', visibility: 'private', retention_days: 30, session_max_duration_days: 2, unknown_field: 1 } });
  t.equal(res.statusCode, 201, res.body);
  t.match(res.json(), { name, description: 'd', visibility: 'private', retention_days: 30, session_max_duration_days: 2, created_by_type: 'user' });
  t.ok(!Number.isNaN(Date.parse(res.json().created_at)), 'created_at is a timestamp');
  t.notOk('unknown_field' in res.json(), 'an unknown body field is accepted and ignored');
  isError(t, await app.inject({ method: 'POST', url: `${O}/repositories`, headers: auth, payload: { name } }), 409, 'CONFLICT', 'a taken name');
  for (const [payload, what] of [
    [{ name: 'Bad_Name' }, 'a name that is no bucket name'],
    [{}, 'no name'],
    [{ name: `x-${s}`, visibility: 'secret' }, 'an unknown visibility'],
    [{ name: `x-${s}`, retention_days: 0 }, 'retention_days below 1'],
    [{ name: `x-${s}`, retention_days: 'many' }, 'retention_days not a number'],
  ] as const) {
    isError(t, await app.inject({ method: 'POST', url: `${O}/repositories`, headers: auth, payload }), 400, 'BAD_REQUEST', what);
  }
  isError(t, await app.inject({ method: 'POST', url: `${O}/repositories`, payload: { name: `x-${s}` } }), 401, 'UNAUTHORIZED', 'without credentials');
  isError(t, await app.inject({ method: 'POST', url: '/api/v1/organizations/nowhere-org/repositories', headers: auth, payload: { name: `x-${s}` } }), 404, 'NOT_FOUND', 'an unknown organization');

  const R = `${O}/repositories/${name}`;
  res = await app.inject({ method: 'GET', url: R, headers: auth });
  t.equal(res.json().name, name);
  isError(t, await app.inject({ method: 'GET', url: `${O}/repositories/no-such-${s}`, headers: auth }), 404, 'NOT_FOUND', 'an unknown repository');
  isError(t, await app.inject({ method: 'GET', url: `${O}/repositories/bad%20name`, headers: auth }), 400, 'BAD_REQUEST', 'a malformed repository name');

  res = await app.inject({ method: 'PUT', url: R, headers: auth, payload: { visibility: 'public' } });
  t.equal(res.statusCode, 200, res.body);
  t.match(res.json(), { visibility: 'public', description: 'd', retention_days: 30 }, 'only the given keys change');
  res = await app.inject({ method: 'PUT', url: R, headers: auth, payload: { description: 'new', session_max_duration_days: null } });
  t.match(res.json(), { visibility: 'public', description: 'new', session_max_duration_days: null });
  t.equal((await app.inject({ method: 'PUT', url: R, headers: auth })).statusCode, 200, 'a bodiless PUT changes nothing');
  isError(t, await app.inject({ method: 'PUT', url: R, headers: auth, payload: { retention_days: -1 } }), 400, 'BAD_REQUEST', 'a bad update');
  isError(t, await app.inject({ method: 'PUT', url: `${O}/repositories/no-such-${s}`, headers: auth, payload: { description: 'x' } }), 404, 'NOT_FOUND', 'updating an unknown repository');

  // RBAC: a reader may read but not change; a non-member learns nothing.
  const reader = await memberWith(env, `reader-${s}`, 'ListRepositories()\nGetRepository()\n');
  t.equal((await app.inject({ method: 'GET', url: `${O}/repositories/${name}`, headers: reader.auth })).statusCode, 200);
  isError(t, await app.inject({ method: 'PUT', url: R, headers: reader.auth, payload: { description: 'x' } }), 403, 'FORBIDDEN', 'a reader updating');
  isError(t, await app.inject({ method: 'DELETE', url: R, headers: reader.auth }), 403, 'FORBIDDEN', 'a reader deleting');
  isError(t, await app.inject({ method: 'POST', url: `${O}/repositories`, headers: reader.auth, payload: { name: `r-${s}` } }), 403, 'FORBIDDEN', 'a reader creating');
  const nobody = await memberWith(env, `nobody-${s}`, null);
  isError(t, await app.inject({ method: 'GET', url: `${O}/repositories`, headers: nobody.auth }), 403, 'FORBIDDEN', 'listing without ListRepositories');
  t.same((await app.inject({ method: 'GET', url: '/api/v1/repositories', headers: nobody.auth })).json().results, [], '/repositories applies the same rule');
  const stranger = await outsider(env, `stranger-${s}`);
  isError(t, await app.inject({ method: 'GET', url: `${O}/repositories`, headers: stranger }), 404, 'NOT_FOUND', 'an organization a caller is not in');

  // Soft delete: 204, then 410 for the name; it leaves the listings.
  t.equal((await app.inject({ method: 'DELETE', url: R, headers: auth })).statusCode, 204);
  isError(t, await app.inject({ method: 'GET', url: R, headers: auth }), 410, 'GONE', 'a deleted repository');
  isError(t, await app.inject({ method: 'DELETE', url: R, headers: auth }), 410, 'GONE', 'deleting it again');
  isError(t, await app.inject({ method: 'DELETE', url: `${O}/repositories/no-such-${s}`, headers: auth }), 404, 'NOT_FOUND', 'deleting an unknown repository');
  const { results } = await allPages<{ name: string }>(t, app, `${O}/repositories`, auth, 1000);
  t.notOk(results.some((r) => r.name === name), 'a deleted repository is not listed');
  t.equal((await app.inject({ method: 'POST', url: `${O}/repositories`, headers: auth, payload: { name } })).statusCode, 201, 'its name may be used again');
});

forEachBackend(t, 'repositories page by name; /repositories spans organizations', async (t, db) => {
  const { app, auth } = await buildTestApp(t, db);
  const s = unique();
  const org = `org-${s}`;
  await app.inject({ method: 'POST', url: '/api/v1/organizations', headers: auth, payload: { name: org, display_name: 'Paging' } });
  const names = ['aa', 'ab', 'ba', 'bb', 'ca'].map((n) => `${n}-${s}`);
  for (const n of [...names].reverse()) {
    t.equal((await app.inject({ method: 'POST', url: `/api/v1/organizations/${org}/repositories`, headers: auth, payload: { name: n } })).statusCode, 201);
  }
  const { results, pages } = await allPages<{ name: string }>(t, app, `/api/v1/organizations/${org}/repositories`, auth, 2);
  t.same(results.map((r) => r.name), names, 'every repository once, in name order');
  t.equal(pages, 3, 'two per page');
  isError(t, await app.inject({ method: 'GET', url: `/api/v1/organizations/${org}/repositories?amount=0`, headers: auth }), 400, 'BAD_REQUEST', 'amount 0');
  isError(t, await app.inject({ method: 'GET', url: `/api/v1/organizations/${org}/repositories?amount=many`, headers: auth }), 400, 'BAD_REQUEST', 'amount not a number');
  const clamped = (await app.inject({ method: 'GET', url: `/api/v1/organizations/${org}/repositories?amount=5000`, headers: auth })).json();
  t.equal(clamped.pagination.max_per_page, 1000, 'a larger amount is clamped to 1000');

  const across = (await app.inject({ method: 'GET', url: '/api/v1/repositories', headers: auth })).json().results;
  const mine = across.filter((r: { organization_slug: string }) => r.organization_slug === org);
  t.same(mine.map((r: { name: string }) => r.name), names, 'every repository of every organization of the caller');
  t.match(mine[0], { organization_display_name: 'Paging', visibility: 'private' });
  isError(t, await app.inject({ method: 'GET', url: '/api/v1/repositories' }), 401, 'UNAUTHORIZED', '/repositories without credentials');
});
