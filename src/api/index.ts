// The REST front door under /api/v1: JSON errors on every failure, then one file per resource
// in routes/. Imports core/ and errors.ts; never the catalog's SQL or the S3 tree.
import type { FastifyInstance } from 'fastify';
import type { Services } from '../core/services.js';
import { ApiError, sendApiError } from './errors.js';
import { healthRoutes } from './routes/health.js';

export interface ApiDeps {
  services: Services;
  ready: () => boolean;
}

export function registerApi(api: FastifyInstance, deps: ApiDeps): void {
  api.setErrorHandler((err, req, reply) => sendApiError(err, req, reply));
  api.setNotFoundHandler((req, reply) =>
    sendApiError(new ApiError(404, 'NOT_FOUND', `no route ${req.method} ${req.url}`), req, reply));
  healthRoutes(api, deps);
}
