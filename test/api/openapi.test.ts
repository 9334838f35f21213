// The OpenAPI document (GET /api/v1/openapi.json): valid OpenAPI 3 (checked by a real
// validator), and listing every route the server registered under /api/v1 with its
// parameters and request body. Also the conventions every route shares: request ids, and
// JSON errors for unknown routes, bad JSON and bodies too large.
import SwaggerParser from '@apidevtools/swagger-parser';
import t from 'tap';
import { forEachBackend } from '../helpers/catalog.js';
import { buildTestApp } from '../helpers/app.js';
import { isError, O } from './fixtures.js';

interface Operation {
  operationId: string;
  parameters: Array<{ name: string; in: string; required: boolean }>;
  requestBody?: { required: boolean; content: Record<string, unknown> };
  responses: Record<string, unknown>;
}

/** Every method and path under /api/v1 from fastify's own route tree (not from our hook). */
function registeredRoutes(tree: string): Array<{ method: string; path: string }> {
  const stack: string[] = [];
  const routes: Array<{ method: string; path: string }> = [];
  for (const line of tree.split('\n')) {
    const match = /^([│ ]*)[├└]── (\S+)(?: \(([^)]*)\))?/u.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    stack.length = depth;
    stack.push(match[2]!);
    const path = stack.join('').replace(/^\/+/, '/');
    if (!match[3] || !path.startsWith('/api/v1/')) continue;
    for (const method of match[3].split(', ')) routes.push({ method: method.toLowerCase(), path: path.replace(/(^|\/):([A-Za-z_]\w*)/g, '$1{$2}') });
  }
  return routes;
}

// Calls that carry no body (API-CONTRACT §0.4), and the one whose body is raw bytes.
const BODILESS = new Set([
  'post /api/v1/auth/logout', 'post /api/v1/organizations/{org}/repositories/{repo}/sessions',
  'post /api/v1/organizations/{org}/repositories/{repo}/sessions/{sid}/s3-credentials', 'put /api/v1/organizations/{org}/repositories/{repo}/object',
  'post /api/v1/organizations/{org}/repositories/{repo}/object/multipart', 'post /api/v1/organizations/{org}/repositories/{repo}/object/copy',
]);

forEachBackend(t, 'the OpenAPI document', async (t, db) => {
  const { app } = await buildTestApp(t, db);
  const res = await app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
  t.equal(res.statusCode, 200, 'served without credentials');
  const doc = res.json();
  t.equal(doc.openapi, '3.0.3');
  await t.resolves(SwaggerParser.validate(structuredClone(doc)), 'a valid OpenAPI 3 document (@apidevtools/swagger-parser)');

  const routes = registeredRoutes(app.printRoutes({ commonPrefix: false }));
  t.ok(routes.length >= 80, `fastify lists ${routes.length} REST routes`);
  const ids = new Set<string>();
  for (const { method, path } of routes) {
    const op = doc.paths[path]?.[method] as Operation | undefined;
    if (!op) {
      t.fail(`${method.toUpperCase()} ${path} is missing from the document`);
      continue;
    }
    ids.add(op.operationId);
    const pathParams = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
    t.same(op.parameters.filter((p) => p.in === 'path').map((p) => p.name).sort(), pathParams.sort(), `${method} ${path}: its path parameters`);
    const expectsBody = (method === 'post' || method === 'put') && !BODILESS.has(`${method} ${path}`);
    t.equal(Boolean(op.requestBody), expectsBody, `${method} ${path}: ${expectsBody ? 'a' : 'no'} request body`);
    t.ok(Object.keys(op.responses).some((s) => s.startsWith('2')), `${method} ${path}: a success response`);
    t.ok(op.responses['4XX'], `${method} ${path}: the error response`);
  }
  t.equal(ids.size, routes.length, 'operation ids are unique');
  const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`));
  t.same(documented.sort(), routes.map((r) => `${r.method} ${r.path}`).sort(), 'and the document lists nothing else');

  const list = doc.paths['/api/v1/organizations/{org}/repositories'].get as Operation;
  t.same(list.parameters.filter((p) => p.in === 'query').map((p) => p.name), ['after', 'amount'], 'pagination parameters');
  const finalize = doc.paths['/api/v1/organizations/{org}/repositories/{repo}/object/finalize'].post as Operation;
  t.same(finalize.parameters.filter((p) => p.in === 'query' && p.required).map((p) => p.name).sort(), ['path', 'session_id']);
  t.ok(finalize.requestBody!.required && finalize.requestBody!.content['application/json']);
  t.ok((doc.paths['/api/v1/uploads/{token}'].put as Operation).requestBody!.content['application/octet-stream'], 'the upload URL takes raw bytes');
  t.ok(doc.paths['/api/v1/organizations/{org}/policies:validate'], "fastify's escaped colon becomes a literal one");
  t.same((doc.paths['/api/v1/healthcheck'].get as { security: unknown[] }).security, [], 'public routes need no credentials');
});

forEachBackend(t, 'conventions: request ids, errors for any failure', async (t, db) => {
  const env = await buildTestApp(t, db);
  const { app, auth } = env;
  let res = await app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { ...auth, 'x-request-id': 'trace-123' } });
  t.equal(res.headers['x-request-id'], 'trace-123', 'a given request id is kept');
  isError(t, await app.inject({ method: 'GET', url: '/api/v1/nothing-here', headers: auth }), 404, 'NOT_FOUND', 'an unknown route');
  isError(t, await app.inject({ method: 'PATCH', url: `${O}/repositories`, headers: auth }), 404, 'NOT_FOUND', 'a method the route lacks');
  isError(t, await app.inject({ method: 'GET', url: `${O}/connectors`, headers: auth }), 404, 'NOT_FOUND', 'connectors are not part of this API yet');
  isError(t, await app.inject({ method: 'POST', url: `${O}/repositories`, headers: { ...auth, 'content-type': 'application/json' }, payload: '{"name": ' }), 400, 'BAD_REQUEST', 'malformed JSON');
  isError(t, await app.inject({ method: 'POST', url: `${O}/repositories`, headers: { ...auth, 'content-type': 'application/json' }, payload: '{"__proto__": {"x": 1}, "name": "proto"}' }), 400, 'BAD_REQUEST', 'a prototype-poisoning body');
  isError(t, await app.inject({ method: 'POST', url: `${O}/repositories`, headers: { ...auth, 'content-type': 'text/plain' }, payload: 'name=x' }), 400, 'BAD_REQUEST', 'a body that is no JSON object');
  const huge = JSON.stringify({ name: 'x', description: 'y'.repeat(11 * 1024 * 1024) });
  isError(t, await app.inject({ method: 'POST', url: `${O}/repositories`, headers: { ...auth, 'content-type': 'application/json' }, payload: huge }), 413, 'BAD_REQUEST', 'a JSON body too large');
  isError(t, await app.inject({ method: 'POST', url: `${O}/repositories`, headers: { ...auth, 'content-type': 'application/xml' }, payload: 'x'.repeat(4096) }), 413, 'BAD_REQUEST', 'a body of another type, too large');
});
