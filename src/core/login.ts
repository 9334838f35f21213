// Password login for people (POST /auth/login): a scrypt check, attempts limited per login and
// per client address (counted in the catalog, so every process enforces the same limit), and
// a session token that the REST door carries in a cookie. The catalog keeps only the token's
// HMAC under the token look-up key, with an expiry; logout revokes it.
import { randomBytes } from 'node:crypto';
import { authSessions, principals } from '../catalog/index.js';
import type { Principal } from '../catalog/queries/principals.js';
import { RateLimitedError, UnauthenticatedError } from '../errors.js';
import { hashPassword, verifyPassword } from './secrets/passwords.js';
import { tokenLookupHash } from './secrets/tokens.js';
import type { Services } from './services.js';

export interface LoginLimits {
  /** Attempts per login name (username or e-mail) per window; a success resets it. */
  perLogin: number;
  /** Attempts per client address per window, whatever the login. */
  perAddress: number;
  windowSeconds: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = { perLogin: 10, perAddress: 100, windowSeconds: 15 * 60 };
export const LOGIN_SESSION_TTL_SECONDS = 7 * 24 * 3600;

export interface LoginRequest {
  login: string;
  password: string;
  /** The client's address, for the per-address limit. */
  address: string;
}

export interface LoggedIn {
  user: Principal;
  /** The cookie value: shown to the client once, kept only as an HMAC. */
  token: string;
  expiresAt: Date;
}

const loginSubject = (login: string) => `login:${login.normalize('NFC').toLowerCase()}`;
const addressSubject = (address: string) => `address:${address}`;

// Unknown logins still cost one scrypt derivation, so timing does not tell which logins exist.
let decoyHash: Promise<string> | null = null;

export async function login(services: Services, req: LoginRequest, limits: LoginLimits = DEFAULT_LOGIN_LIMITS): Promise<LoggedIn> {
  await throttle(services, req, limits);
  const user = await principals.findUserByLogin(services.db, req.login);
  const stored = user?.passwordHash ?? (await (decoyHash ??= hashPassword(randomBytes(16).toString('hex'))));
  const matches = await verifyPassword(req.password, stored);
  if (!user || !user.passwordHash || !matches || user.status !== 'active') throw new UnauthenticatedError('invalid login or password');
  await authSessions.clearAttempts(services.db, loginSubject(req.login));
  // Finished windows and ended sessions are of no use: each login tidies up (no timer to stop).
  await authSessions.pruneAuth(services.db, new Date(Date.now() - limits.windowSeconds * 1000));
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + LOGIN_SESSION_TTL_SECONDS * 1000);
  await authSessions.createAuthSession(services.db, user.id, tokenLookupHash(services.tokenLookupKey, token), expiresAt);
  return { user, token, expiresAt };
}

/** Counts this attempt; refuses it (before any password check) once a limit is passed. */
async function throttle(services: Services, req: LoginRequest, limits: LoginLimits): Promise<void> {
  const windowMs = limits.windowSeconds * 1000;
  const now = Date.now();
  const windowStart = Math.floor(now / windowMs) * windowMs;
  const [perLogin, perAddress] = await authSessions.countAttempts(services.db, [loginSubject(req.login), addressSubject(req.address)], new Date(windowStart));
  if (perLogin! > limits.perLogin || perAddress! > limits.perAddress) {
    const retryAfter = Math.max(1, Math.ceil((windowStart + windowMs - now) / 1000));
    throw new RateLimitedError(`too many login attempts; retry in ${retryAfter} s`, retryAfter);
  }
}

/** The user behind a live session token, or null (unknown, expired, revoked: the method falls through). */
export async function userOfSession(services: Services, token: string): Promise<Principal | null> {
  const session = await authSessions.findLiveAuthSession(services.db, tokenLookupHash(services.tokenLookupKey, token));
  if (!session) return null;
  const user = await principals.getPrincipal(services.db, session.userId).catch(() => null);
  if (!user || user.status !== 'active') return null;
  void authSessions.touchAuthSession(services.db, session.id).catch(() => {});
  return user;
}

export async function logout(services: Services, token: string): Promise<void> {
  await authSessions.revokeAuthSession(services.db, tokenLookupHash(services.tokenLookupKey, token));
}
