// GET /api/v1/healthcheck: 200 once the catalog answers, 503 before.
import type { FastifyInstance } from 'fastify';
import type { ApiDeps } from '../index.js';
import { ApiError } from '../errors.js';
import { NO_QUERY, object, responses } from '../schemas/common.js';

export function healthRoutes(api: FastifyInstance, deps: ApiDeps): void {
  api.get('/healthcheck', {
    schema: {
      summary: 'Liveness: 200 once the catalog answers', tags: ['meta'], security: [], querystring: NO_QUERY,
      response: responses({ 200: object({ status: { type: 'string' } }, ['status']) }),
    },
  }, async () => {
    if (!deps.ready()) throw new ApiError(503, 'INTERNAL', 'starting');
    await deps.services.db.query('SELECT 1');
    return { status: 'ok' };
  });
}
