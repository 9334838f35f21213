// REST authentication: Bearer API keys, then HTTP Basic (username or e-mail + password).
// A method that is absent falls through to the next; a credential that is present but wrong
// is 401. The caller (or null) is attached to the request for the routes to authorize.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { principals } from '../catalog/index.js';
import { callerOf, type Caller } from '../core/caller.js';
import { authenticateToken } from '../core/keys.js';
import { verifyPassword } from '../core/secrets/passwords.js';
import type { Services } from '../core/services.js';
import { ApiError } from './errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    caller: Caller | null;
  }
}

export function registerAuth(api: FastifyInstance, services: Services): void {
  api.decorateRequest('caller', null);
  api.addHook('onRequest', async (req) => {
    req.caller = await authenticate(services, req);
  });
}

async function authenticate(services: Services, req: FastifyRequest): Promise<Caller | null> {
  const header = req.headers.authorization;
  if (!header) return null;
  const [scheme, value = ''] = header.split(/\s+/, 2);
  if (scheme?.toLowerCase() === 'bearer') {
    const found = await authenticateToken(services, value.trim());
    if (!found) throw new ApiError(401, 'UNAUTHORIZED', 'invalid, revoked or expired API key');
    return callerOf(found.principal, found.key);
  }
  if (scheme?.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const [login, password] = colon < 0 ? [decoded, ''] : [decoded.slice(0, colon), decoded.slice(colon + 1)];
    const user = await principals.findUserByLogin(services.db, login);
    if (!user?.passwordHash || !(await verifyPassword(password, user.passwordHash))) {
      throw new ApiError(401, 'UNAUTHORIZED', 'invalid login or password');
    }
    return callerOf(user, null);
  }
  return null; // another scheme (e.g. AWS SigV4 on a REST path): not ours, fall through
}

export function requireCaller(req: FastifyRequest): Caller {
  if (!req.caller) throw new ApiError(401, 'UNAUTHORIZED', 'authentication required');
  return req.caller;
}
