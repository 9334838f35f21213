// GET /api/v1/healthcheck: 200 once the catalog answers, 503 with the error body before;
// public, so it answers without credentials.
import t from 'tap';
import { buildApp } from '../../src/app.js';
import { forEachBackend } from '../helpers/catalog.js';
import { buildTestApp } from '../helpers/app.js';
import { isError } from './fixtures.js';

forEachBackend(t, 'the health check', async (t, db) => {
  const env = await buildTestApp(t, db);
  const res = await env.app.inject({ method: 'GET', url: '/api/v1/healthcheck' });
  t.equal(res.statusCode, 200, 'without credentials');
  t.same(res.json(), { status: 'ok' });
  const starting = await buildApp({ services: env.services, ready: () => false });
  t.teardown(() => starting.close());
  isError(t, await starting.inject({ method: 'GET', url: '/api/v1/healthcheck' }), 503, 'INTERNAL', 'not ready yet');
});
