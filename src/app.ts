// buildApp(deps): the whole HTTP surface on one fastify instance. It never listens, so tests
// can `inject` into it; main.ts listens. REST lives under /api/v1, the S3 gateway at /.
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { registerApi } from './api/index.js';
import { ApiError, sendApiError } from './api/errors.js';
import { registerS3, sendS3FrameworkError } from './s3/plugin.js';
import type { LoginLimits } from './core/login.js';
import type { Services } from './core/services.js';

export interface AppOptions {
  services: Services;
  /** A pino logger; none = silent (tests). */
  logger?: FastifyBaseLogger;
  https?: { key: Buffer; cert: Buffer } | null;
  /** The externally visible base URL (upload URLs); default: from the request's Host. */
  publicUrl?: string | undefined;
  /** Pins the SigV4 region; default: any region is accepted. */
  s3Region?: string | undefined;
  /** REST requests per minute per key (0 = unlimited, the default for tests). */
  rateLimitPerMinute?: number;
  /** Login attempts allowed per login and per address (default: core/login.ts). */
  loginLimits?: LoginLimits;
  /** The health check answers 503 until this returns true. */
  ready?: () => boolean;
}

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    ...(opts.logger ? { loggerInstance: opts.logger } : { logger: false }),
    ...(opts.https ? { https: opts.https } : {}),
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,128}$/.test(given) ? given : randomUUID();
    },
    bodyLimit: 10 * 1024 * 1024,
    // HEAD routes are declared explicitly (S3 and REST answer HEAD differently from GET).
    exposeHeadRoutes: false,
    // What fastify refuses before routing (a URL that is not valid percent-encoding) is
    // answered in the protocol of the door it was meant for.
    frameworkErrors: (err, req, reply) => {
      if (req.url.startsWith('/api/v1')) return void sendApiError(new ApiError(400, 'BAD_REQUEST', err.message), req, reply);
      sendS3FrameworkError(req, reply, err.code === 'FST_ERR_BAD_URL' ? 'InvalidURI' : 'InvalidRequest');
    },
  }) as unknown as FastifyInstance;
  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  await app.register(
    async (api) => registerApi(api, { services: opts.services, ready: opts.ready ?? (() => true), publicUrl: opts.publicUrl, rateLimitPerMinute: opts.rateLimitPerMinute ?? 0, loginLimits: opts.loginLimits }),
    { prefix: '/api/v1' },
  );
  registerS3(app, { services: opts.services, region: opts.s3Region });
  return app;
}
