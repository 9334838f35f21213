// Per-key rate limits on the REST door: X-RateLimit-Limit / -Remaining / -Reset on every
// authenticated response, 429 RATE_LIMITED with Retry-After past the limit. Counters live in
// the catalog (one fixed window a minute), so every process enforces the same limit. Callers
// without a key (a password, the login cookie) are counted per principal.
import type { FastifyInstance } from 'fastify';
import { rateLimits } from '../catalog/index.js';
import type { Services } from '../core/services.js';
import { ApiError } from './errors.js';

const WINDOW_MS = 60_000;

export function registerRateLimit(api: FastifyInstance, services: Services, perMinute: number): void {
  if (perMinute <= 0) return;
  let lastPrune = 0;
  api.addHook('preHandler', async (req, reply) => {
    const caller = req.caller;
    if (!caller) return;
    const keyId = caller.key?.id ?? `principal:${caller.principal.id}`;
    const now = Date.now();
    const windowStart = Math.floor(now / WINDOW_MS) * WINDOW_MS;
    const count = await rateLimits.hit(services.db, keyId, new Date(windowStart));
    const resetSeconds = Math.ceil((windowStart + WINDOW_MS - now) / 1000);
    reply.header('x-ratelimit-limit', perMinute)
      .header('x-ratelimit-remaining', Math.max(0, perMinute - count))
      .header('x-ratelimit-reset', Math.ceil((windowStart + WINDOW_MS) / 1000));
    if (now - lastPrune > WINDOW_MS) {
      lastPrune = now;
      void rateLimits.prune(services.db, new Date(windowStart - WINDOW_MS)).catch(() => {});
    }
    if (count > perMinute) {
      reply.header('retry-after', resetSeconds);
      throw new ApiError(429, 'RATE_LIMITED', `more than ${perMinute} requests a minute with this key; retry in ${resetSeconds} s`);
    }
  });
}
