// Password login for browsers: POST /auth/login sets the session cookie (HttpOnly,
// SameSite=Lax), POST /auth/logout revokes it. API clients use keys instead (the SDK never
// calls these).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { login, logout, LOGIN_SESSION_TTL_SECONDS } from '../../core/login.js';
import type { ApiDeps } from '../index.js';
import { SESSION_COOKIE, sessionCookie } from '../auth.js';
import { EMPTY, NO_BODY, NO_QUERY, object, responses } from '../schemas/common.js';
import { USER } from '../schemas/entities.js';
import { userJson } from './auth.js';

const tags = ['auth'];

export function loginRoutes(api: FastifyInstance, { services, publicUrl, loginLimits }: ApiDeps): void {
  api.post<{ Body: { login: string; password: string } }>('/auth/login', {
    schema: {
      summary: 'Log in with a username or e-mail and password: sets the session cookie (attempts are limited: 429 with Retry-After)', tags,
      security: [], querystring: NO_QUERY,
      body: object({ login: { type: 'string', minLength: 1, maxLength: 320 }, password: { type: 'string', minLength: 1, maxLength: 1024 } }, ['login', 'password']),
      response: responses({ 200: object({ user: USER }, ['user']) }),
    },
  }, async (req, reply) => {
    const done = await login(services, { login: req.body.login, password: req.body.password, address: req.ip }, loginLimits);
    setCookie(req, reply, done.token, LOGIN_SESSION_TTL_SECONDS);
    return { user: userJson(done.user) };
  });

  api.post('/auth/logout', {
    schema: { summary: 'Revoke the session of the cookie and clear it', tags, security: [], querystring: NO_QUERY, body: NO_BODY, response: responses({ 204: EMPTY }) },
  }, async (req, reply) => {
    const token = sessionCookie(req);
    if (token) await logout(services, token);
    setCookie(req, reply, '', 0);
    return reply.status(204).send();
  });

  function setCookie(req: FastifyRequest, reply: FastifyReply, value: string, maxAge: number): void {
    const secure = (publicUrl ?? `${req.protocol}://`).startsWith('https:');
    reply.header('set-cookie', `${SESSION_COOKIE}=${value}; Path=/api/v1; Max-Age=${maxAge}; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`);
  }
}
