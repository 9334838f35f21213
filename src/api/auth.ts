// REST authentication: Bearer API keys, then HTTP Basic (username or e-mail + password), then
// the session cookie of POST /auth/login. A method that is absent, or whose credential has
// expired, falls through to the next; a Bearer token that is unknown or revoked, or a wrong
// password, is 401; a cookie that is unknown, expired or revoked just falls through (a browser
// keeps sending a stale one). The caller (or null) is attached to the request for the routes
// to authorize.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { principals } from '../catalog/index.js';
import { callerOf, type Caller } from '../core/caller.js';
import { isExpiredToken } from '../core/key-expiry.js';
import { authenticateToken } from '../core/keys.js';
import { userOfSession } from '../core/login.js';
import { verifyPassword } from '../core/secrets/passwords.js';
import type { Services } from '../core/services.js';
import { ApiError } from './errors.js';

export const SESSION_COOKIE = 'trove_session';

declare module 'fastify' {
  interface FastifyRequest {
    caller: Caller | null;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function registerAuth(api: FastifyInstance, services: Services, publicUrl: string | undefined): void {
  api.decorateRequest('caller', null);
  api.addHook('onRequest', async (req) => {
    req.caller = await authenticate(services, req, publicUrl);
  });
}

async function authenticate(services: Services, req: FastifyRequest, publicUrl: string | undefined): Promise<Caller | null> {
  const header = req.headers.authorization;
  const [scheme, value = ''] = header ? header.split(/\s+/, 2) : [];
  if (scheme?.toLowerCase() === 'bearer') {
    const found = await authenticateToken(services, value.trim());
    if (found) return callerOf(found.principal, found.key);
    if (!(await isExpiredToken(services, value.trim()))) throw new ApiError(401, 'UNAUTHORIZED', 'invalid or revoked API key');
  } else if (scheme?.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const [login, password] = colon < 0 ? [decoded, ''] : [decoded.slice(0, colon), decoded.slice(colon + 1)];
    const user = await principals.findUserByLogin(services.db, login);
    if (!user?.passwordHash || !(await verifyPassword(password, user.passwordHash))) {
      throw new ApiError(401, 'UNAUTHORIZED', 'invalid login or password');
    }
    return callerOf(user, null);
  }
  // An expired key, or another scheme (e.g. AWS SigV4 on a REST path): on to the cookie.
  const token = sessionCookie(req);
  const user = token ? await userOfSession(services, token) : null;
  if (!user) return null;
  refuseCrossOrigin(req, publicUrl);
  return callerOf(user, null);
}

/** The session token from the Cookie header, if any. */
export function sessionCookie(req: FastifyRequest): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) return part.slice(eq + 1).trim() || null;
  }
  return null;
}

/**
 * SameSite=Lax keeps the cookie off cross-site POSTs; this also refuses a state-changing call
 * whose Origin is another site's (a same-site page on another host), since a browser sends
 * the cookie with it on its own.
 */
function refuseCrossOrigin(req: FastifyRequest, publicUrl: string | undefined): void {
  const origin = req.headers.origin;
  if (SAFE_METHODS.has(req.method) || !origin) return;
  const ours = [`${req.protocol}://${req.host}`, ...(publicUrl ? [publicUrl] : [])].map(hostOf);
  const theirs = hostOf(origin);
  if (!theirs || !ours.includes(theirs)) throw new ApiError(403, 'FORBIDDEN', `a cookie-authenticated ${req.method} from ${origin} is refused`);
}

/** host[:port] as a URL normalizes it (no default port), or null when it is no URL. */
function hostOf(url: string): string | null {
  try {
    return new URL(url).host;
  } catch {
    return null;
  }
}

export function requireCaller(req: FastifyRequest): Caller {
  if (!req.caller) throw new ApiError(401, 'UNAUTHORIZED', 'authentication required');
  return req.caller;
}
