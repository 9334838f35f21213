// The OpenAPI 3.0.3 document of /api/v1, generated from the route schemas fastify validates
// with, and served at GET /api/v1/openapi.json.
//
// Why an onRoute hook and not @fastify/swagger: the routes' schemas are plain JSON Schema
// objects of our own (schemas/), so turning them into OpenAPI is a short mechanical walk;
// doing it here adds no runtime dependency, handles fastify's `::` escape of a literal colon
// (`policies::validate`) and the bodiless POSTs of the SDK exactly as we want, and keeps one
// place that says what the document promises.
import type { FastifyInstance, RouteOptions } from 'fastify';
import { ERROR, NO_QUERY, responses, type Schema } from './schemas/common.js';

// The documentation-only keys routes may put in their schema (fastify ignores them).
declare module 'fastify' {
  interface FastifySchema {
    summary?: string;
    tags?: string[];
    consumes?: string[];
    security?: Array<Record<string, string[]>>;
  }
}

interface RouteSchema {
  params?: Schema;
  querystring?: Schema;
  body?: Schema;
  headers?: Schema;
  response?: Record<string, Schema>;
  summary?: string;
  tags?: string[];
  /** Media types of a raw body (the upload URL); default application/json. */
  consumes?: string[];
  /** Overrides the document's default security (`[]` for public routes). */
  security?: Array<Record<string, string[]>>;
}

export interface CollectedRoute {
  method: string;
  url: string;
  schema: RouteSchema;
}

const METHODS = new Set(['get', 'put', 'post', 'delete', 'head', 'patch', 'options']);

/** Registers the hook that records every route registered after it in `api` (and its children). */
export function collectRoutes(api: FastifyInstance): CollectedRoute[] {
  const routes: CollectedRoute[] = [];
  api.addHook('onRoute', (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) routes.push({ method: method.toLowerCase(), url: route.url, schema: (route.schema ?? {}) as RouteSchema });
  });
  return routes;
}

export function openApiRoute(api: FastifyInstance, routes: CollectedRoute[]): void {
  let document: Schema | null = null;
  api.get('/openapi.json', {
    schema: { summary: 'This document', tags: ['meta'], security: [], querystring: NO_QUERY, response: responses({ 200: { type: 'object', additionalProperties: true } }) },
  }, async () => (document ??= buildDocument(routes)));
}

/** fastify's `/a/:b/c::d` → OpenAPI's `/a/{b}/c:d`. */
export function openApiPath(url: string): string {
  return url.split('::').map((part) => part.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '{$1}')).join(':');
}

export function buildDocument(routes: CollectedRoute[]): Schema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    if (!METHODS.has(route.method)) continue;
    const path = openApiPath(route.url);
    (paths[path] ??= {})[route.method] = operation(route, path);
  }
  return {
    openapi: '3.0.3',
    info: {
      title: 'Trove REST API',
      version: '1',
      description: 'Tilde-compatible REST API of Trove. Every failure answers {message, code, request_id}.',
    },
    servers: [{ url: '/' }],
    paths,
    components: {
      schemas: { Error: toOpenApi(ERROR) },
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'an API key token (tuk-, trk-, tak-)' },
        basic: { type: 'http', scheme: 'basic', description: 'username or e-mail and password' },
        session: { type: 'apiKey', in: 'cookie', name: 'trove_session', description: 'the cookie POST /auth/login sets' },
      },
    },
    security: [{ bearer: [] }, { basic: [] }, { session: [] }],
  };
}

function operation(route: CollectedRoute, path: string): Schema {
  const s = route.schema;
  const op: Schema = {
    operationId: operationId(route.method, path),
    summary: s.summary ?? `${route.method.toUpperCase()} ${path}`,
    ...(s.tags ? { tags: s.tags } : {}),
    parameters: [...parameters(s.params, 'path'), ...parameters(s.querystring, 'query'), ...parameters(s.headers, 'header')],
    responses: responseObjects(s.response),
    ...(s.security ? { security: s.security } : {}),
  };
  const body = requestBody(s);
  if (body) op.requestBody = body;
  return op;
}

function operationId(method: string, path: string): string {
  const words = path.replace(/^\/api\/v1\//, '').split(/[/:{}_.-]+/).filter(Boolean);
  return method + words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
}

function parameters(schema: Schema | undefined, where: 'path' | 'query' | 'header'): Schema[] {
  const properties = (schema?.properties ?? {}) as Record<string, Schema>;
  const required = new Set((schema?.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name, in: where, required: where === 'path' || required.has(name),
      ...(description ? { description } : {}),
      schema: toOpenApi(rest),
    };
  });
}

function requestBody(s: RouteSchema): Schema | null {
  if (s.consumes) {
    return { required: true, content: Object.fromEntries(s.consumes.map((type) => [type, { schema: { type: 'string', format: 'binary' } }])) };
  }
  if (!s.body || !s.body.properties) return null; // a bodiless call (NO_BODY)
  const types = ([] as unknown[]).concat(s.body.type);
  return { required: !types.includes('null'), content: { 'application/json': { schema: toOpenApi({ ...s.body, type: 'object' }) } } };
}

function responseObjects(response: Record<string, Schema> | undefined): Schema {
  const out: Schema = {};
  for (const [status, schema] of Object.entries(response ?? {})) {
    const code = status.toUpperCase();
    const description = (schema.description as string | undefined) ?? (code.startsWith('2') ? 'success' : 'error');
    if (schema === ERROR) out[code] = { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
    else if (schema.type === 'null') out[code] = { description };
    else if (schema.format === 'binary') out[code] = { description, content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } };
    else out[code] = { description, content: { 'application/json': { schema: toOpenApi(schema) } } };
  }
  if (Object.keys(out).length === 0) out.default = { description: 'see the contract' };
  return out;
}

const NESTED = ['items', 'additionalProperties', 'not'] as const;
const LISTS = ['allOf', 'anyOf', 'oneOf'] as const;

/** JSON Schema → OpenAPI 3.0 Schema Object: a `null` in `type` becomes `nullable`, `const` an enum. */
export function toOpenApi(schema: Schema): Schema {
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'type' && Array.isArray(value)) {
      const types = value.filter((t) => t !== 'null');
      if (types.length === 1) out.type = types[0];
      if (types.length !== value.length) out.nullable = true;
    } else if (key === 'const') {
      out.enum = [value];
    } else if (key === 'properties') {
      out.properties = Object.fromEntries(Object.entries(value as Record<string, Schema>).map(([k, v]) => [k, toOpenApi(v)]));
    } else if ((NESTED as readonly string[]).includes(key) && typeof value === 'object' && value !== null) {
      out[key] = toOpenApi(value as Schema);
    } else if ((LISTS as readonly string[]).includes(key)) {
      out[key] = (value as Schema[]).map(toOpenApi);
    } else if (key !== '$id' && key !== '$schema') {
      out[key] = value;
    }
  }
  return out;
}
