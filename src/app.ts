// buildApp(deps): the whole HTTP surface on one fastify instance. It never listens, so tests
// can `inject` into it; main.ts listens. REST lives under /api/v1, the S3 gateway at /.
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { registerApi } from './api/index.js';
import type { Services } from './core/services.js';

export interface AppOptions {
  services: Services;
  logger?: FastifyServerOptions['logger'];
  /** Resolves true once the catalog is ready; the health check answers 503 until then. */
  ready?: () => boolean;
}

/** Headers whose values must never reach a log line. */
export const REDACTED_HEADERS = ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-amz-security-token"]'];

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ?? false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,128}$/.test(given) ? given : randomUUID();
    },
    requestIdLogLabel: 'request_id',
    // Object bodies stream through handlers; JSON bodies of the REST API are small.
    bodyLimit: 10 * 1024 * 1024,
    disableRequestLogging: false,
  });
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  await app.register((api, _opts, done) => {
    registerApi(api, { services: opts.services, ready: opts.ready ?? (() => true) });
    done();
  }, { prefix: '/api/v1' });
  return app;
}
