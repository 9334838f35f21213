// The caller's own identity and keys: /auth/me and /auth/keys.
import type { FastifyInstance } from 'fastify';
import { apiKeys } from '../../catalog/index.js';
import type { ApiKey } from '../../catalog/queries/api-keys.js';
import { callerOrganizations } from '../../core/caller.js';
import { issueKey } from '../../core/keys.js';
import type { ApiDeps } from '../index.js';
import { requireCaller } from '../auth.js';
import { pageParams, pageQuerySchema, type PageQuery } from '../pagination.js';
import { paginated } from '../representations.js';

export const apiTokenJson = (k: ApiKey) => ({
  id: k.id, user_id: k.principalId, name: k.name, description: k.description, token_hint: k.tokenHint,
  created_at: k.createdAt.toISOString(), last_used_at: k.lastUsedAt?.toISOString() ?? null, revoked_at: k.revokedAt?.toISOString() ?? null,
});

export function authRoutes(api: FastifyInstance, { services }: ApiDeps): void {
  api.get('/auth/me', async (req) => {
    const caller = requireCaller(req);
    const p = caller.principal;
    return {
      user: { id: p.id, username: p.name, email: p.email ?? '', full_name: p.fullName, source: 'local', status: p.status, created_at: p.createdAt.toISOString() },
      organizations: (await callerOrganizations(services, caller)).map((o) => ({ id: o.id, name: o.name, display_name: o.displayName })),
      has_password: p.passwordHash !== null,
    };
  });

  api.post<{ Body: { name: string; description?: string } }>('/auth/keys', {
    schema: { body: { type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 1 }, description: { type: 'string' } } } },
  }, async (req, reply) => {
    const caller = requireCaller(req);
    const { key, token } = await issueKey(services, caller.principal, { name: req.body.name, description: req.body.description ?? '' });
    // The token is shown here once; it is also the S3 secret of access key `id`.
    return reply.status(201).send({ ...apiTokenJson(key), token, access_key_id: key.id, secret_access_key: token });
  });

  api.get<{ Querystring: PageQuery }>('/auth/keys', { schema: { querystring: { type: 'object', properties: pageQuerySchema } } }, async (req) => {
    const caller = requireCaller(req);
    const { after, limit } = pageParams(req.query);
    const page = await apiKeys.listKeys(services.db, caller.principal.id, { after, limit });
    return paginated(page.items.map(apiTokenJson), page, limit);
  });

  api.delete<{ Params: { keyId: string } }>('/auth/keys/:keyId', async (req, reply) => {
    await apiKeys.revokeKey(services.db, requireCaller(req).principal.id, req.params.keyId);
    return reply.status(204).send();
  });
}
