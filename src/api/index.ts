// The REST front door under /api/v1: authentication, JSON errors on every failure, then one
// file per resource in routes/. Imports core/ and errors.ts; never SQL, never the S3 tree.
import type { FastifyInstance } from 'fastify';
import type { LoginLimits } from '../core/login.js';
import type { Services } from '../core/services.js';
import { registerAuth } from './auth.js';
import { registerRateLimit } from './rate-limit.js';
import { ApiError, sendApiError } from './errors.js';
import { collectRoutes, openApiRoute } from './openapi.js';
import { registerValidation } from './validation.js';
import { authRoutes } from './routes/auth.js';
import { commitRoutes } from './routes/commits.js';
import { groupRoutes } from './routes/groups.js';
import { healthRoutes } from './routes/health.js';
import { loginRoutes } from './routes/login.js';
import { multipartRoutes } from './routes/multipart.js';
import { objectRoutes } from './routes/objects.js';
import { organizationRoutes } from './routes/organizations.js';
import { policyRoutes } from './routes/policies.js';
import { principalRoutes } from './routes/principals.js';
import { repositoryRoutes } from './routes/repositories.js';
import { sessionRoutes } from './routes/sessions.js';
import { uploadRoutes } from './routes/uploads.js';

export interface ApiDeps {
  services: Services;
  ready: () => boolean;
  /** Base of absolute URLs handed to clients (upload URLs); default: the request's origin. */
  publicUrl: string | undefined;
  /** REST requests per minute per key (0 = unlimited). */
  rateLimitPerMinute: number;
  /** Login attempt limits (default DEFAULT_LOGIN_LIMITS). */
  loginLimits?: LoginLimits | undefined;
}

export async function registerApi(api: FastifyInstance, deps: ApiDeps): Promise<void> {
  api.setErrorHandler((err, req, reply) => sendApiError(err, req, reply));
  api.setNotFoundHandler((req, reply) =>
    sendApiError(new ApiError(404, 'NOT_FOUND', `no route ${req.method} ${req.url.split('?')[0]}`), req, reply));
  // Bodiless POST/PUT calls arrive without a Content-Type (the SDK does this): accept them.
  api.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 1024 }, (_req, body, done) => done(null, body === '' ? undefined : body));
  // An empty body labelled JSON is no body either (curl -H 'content-type: application/json' -X POST).
  const json = api.getDefaultJsonParser('error', 'ignore');
  api.removeContentTypeParser('application/json');
  api.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) =>
    (body === '' ? done(null, undefined) : json(req, body as string, done)));
  registerValidation(api);
  // Before any route: the OpenAPI document is generated from every route's schemas.
  const routes = collectRoutes(api);
  registerAuth(api, deps.services, deps.publicUrl);
  registerRateLimit(api, deps.services, deps.rateLimitPerMinute);
  openApiRoute(api, routes);
  healthRoutes(api, deps);
  authRoutes(api, deps);
  loginRoutes(api, deps);
  organizationRoutes(api, deps);
  principalRoutes(api, deps);
  policyRoutes(api, deps);
  groupRoutes(api, deps);
  repositoryRoutes(api, deps);
  sessionRoutes(api, deps);
  objectRoutes(api, deps);
  multipartRoutes(api, deps);
  commitRoutes(api, deps);
  uploadRoutes(api, deps);
}
