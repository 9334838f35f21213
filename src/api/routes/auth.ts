// The caller's own identity and keys: /auth/me and /auth/keys.
import type { FastifyInstance } from 'fastify';
import { apiKeys } from '../../catalog/index.js';
import type { ApiKey } from '../../catalog/queries/api-keys.js';
import type { Principal } from '../../catalog/queries/principals.js';
import { callerOrganizations } from '../../core/caller.js';
import { issueKey } from '../../core/keys.js';
import type { ApiDeps } from '../index.js';
import { requireCaller } from '../auth.js';
import { pageParams, type PageQuery } from '../pagination.js';
import { paginated } from '../representations.js';
import { EMPTY, KEY_ID, NO_QUERY, object, PAGE_QUERY, paginatedOf, params, responses } from '../schemas/common.js';
import { API_TOKEN, API_TOKEN_CREATED, ORG_SUMMARY, USER } from '../schemas/entities.js';

export const apiTokenJson = (k: ApiKey) => ({
  id: k.id, user_id: k.principalId, name: k.name, description: k.description, token_hint: k.tokenHint,
  created_at: k.createdAt.toISOString(), last_used_at: k.lastUsedAt?.toISOString() ?? null, revoked_at: k.revokedAt?.toISOString() ?? null,
});

export const userJson = (p: Principal) => ({
  id: p.id, username: p.name, email: p.email ?? '', full_name: p.fullName, source: 'local', status: p.status, created_at: p.createdAt.toISOString(),
});

export const KEY_BODY = object({ name: { type: 'string', minLength: 1, maxLength: 200 }, description: { type: 'string', maxLength: 10_000 } }, ['name']);
const tags = ['auth'];

export function authRoutes(api: FastifyInstance, { services }: ApiDeps): void {
  api.get('/auth/me', {
    schema: {
      summary: 'The caller, its organizations, and whether it has a password', tags, querystring: NO_QUERY,
      response: responses({ 200: object({ user: USER, organizations: { type: 'array', items: ORG_SUMMARY }, has_password: { type: 'boolean' } }, ['user', 'organizations', 'has_password']) }),
    },
  }, async (req) => {
    const caller = requireCaller(req);
    const p = caller.principal;
    return {
      user: userJson(p),
      organizations: (await callerOrganizations(services, caller)).map((o) => ({ id: o.id, name: o.name, display_name: o.displayName })),
      has_password: p.passwordHash !== null,
    };
  });

  api.post<{ Body: { name: string; description?: string } }>('/auth/keys', {
    schema: { summary: 'Create a key of the caller (tuk- for a user)', tags, body: KEY_BODY, response: responses({ 201: API_TOKEN_CREATED }) },
  }, async (req, reply) => {
    const caller = requireCaller(req);
    const { key, token } = await issueKey(services, caller.principal, { name: req.body.name, description: req.body.description ?? '' });
    // The token is shown here once; it is also the S3 secret of access key `id`.
    return reply.status(201).send({ ...apiTokenJson(key), token, access_key_id: key.id, secret_access_key: token });
  });

  api.get<{ Querystring: PageQuery }>('/auth/keys', {
    schema: { summary: "The caller's keys (never their tokens)", tags, querystring: object(PAGE_QUERY), response: responses({ 200: paginatedOf(API_TOKEN) }) },
  }, async (req) => {
    const caller = requireCaller(req);
    const { after, limit } = pageParams(req.query);
    const page = await apiKeys.listKeys(services.db, caller.principal.id, { after, limit });
    return paginated(page.items.map(apiTokenJson), page, limit);
  });

  api.delete<{ Params: { keyId: string } }>('/auth/keys/:keyId', {
    schema: { summary: 'Revoke one of the caller\'s keys (it answers 401 at once)', tags, params: params({ keyId: KEY_ID }), querystring: NO_QUERY, response: responses({ 204: EMPTY }) },
  }, async (req, reply) => {
    await apiKeys.revokeKey(services.db, requireCaller(req).principal.id, req.params.keyId);
    return reply.status(204).send();
  });
}
