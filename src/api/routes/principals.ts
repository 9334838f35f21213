// Roles and agents, and their keys: /organizations/{org}/{roles|agents}[/{name}[/auth/keys[/{key_id}]]].
import type { FastifyInstance } from 'fastify';
import { apiKeys, principals } from '../../catalog/index.js';
import type { Principal } from '../../catalog/queries/principals.js';
import {
  createKeyFor, createPrincipal, deletePrincipal, getPrincipal, keyOf, managedOrganization, updatePrincipal, type OrgPrincipalType,
} from '../../core/principals.js';
import type { ApiDeps } from '../index.js';
import { requireCaller } from '../auth.js';
import { pageParams, pageQuerySchema, type PageQuery } from '../pagination.js';
import { paginated } from '../representations.js';
import { apiTokenJson } from './auth.js';

const SLUG = { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{1,62}$' } as const;
const STRING_MAP = { type: 'object', additionalProperties: { type: 'string' } } as const;

function principalJson(p: Principal) {
  const base = {
    id: p.id, organization_id: p.orgId, name: p.name, description: p.description, created_by_type: p.createdByType,
    created_by: p.createdBy, created_by_name: null, created_at: p.createdAt.toISOString(), last_used_at: null,
  };
  if (p.type !== 'agent') return base;
  return { ...base, metadata: p.metadata, inline_policy: p.inlinePolicy ?? '', inline_policy_updated_at: p.inlinePolicyUpdatedAt?.toISOString() ?? null };
}

type Params = { org: string; name: string };
interface Body { name: string; description?: string; metadata?: Record<string, string>; inline_policy?: string }

export function principalRoutes(api: FastifyInstance, { services }: ApiDeps): void {
  for (const [plural, type] of [['roles', 'role'], ['agents', 'agent']] as Array<[string, OrgPrincipalType]>) {
    const base = `/organizations/:org/${plural}`;
    const bodyProperties = type === 'agent' ? { description: { type: 'string' }, metadata: STRING_MAP, inline_policy: { type: 'string' } } : { description: { type: 'string' } };

    api.post<{ Params: { org: string }; Body: Body }>(base, {
      schema: { body: { type: 'object', required: ['name'], properties: { name: SLUG, ...bodyProperties } } },
    }, async (req, reply) => {
      const b = req.body;
      const p = await createPrincipal(services, requireCaller(req), req.params.org, type, {
        name: b.name, ...(b.description !== undefined && { description: b.description }),
        ...(b.metadata && { metadata: b.metadata }), ...(b.inline_policy !== undefined && { inlinePolicy: b.inline_policy }),
      });
      return reply.status(201).send(principalJson(p));
    });

    api.get<{ Params: { org: string }; Querystring: PageQuery }>(base, { schema: { querystring: { type: 'object', properties: pageQuerySchema } } }, async (req) => {
      const org = await managedOrganization(services, requireCaller(req), req.params.org);
      const { after, limit } = pageParams(req.query);
      const page = await principals.listOrgPrincipals(services.db, org.id, type, { after, limit });
      return paginated(page.items.map(principalJson), page, limit);
    });

    api.get<{ Params: Params }>(`${base}/:name`, async (req) =>
      principalJson(await getPrincipal(services, requireCaller(req), req.params.org, type, req.params.name)));

    if (type === 'agent') {
      api.put<{ Params: Params; Body: Omit<Body, 'name'> }>(`${base}/:name`, { schema: { body: { type: 'object', properties: bodyProperties } } }, async (req) => {
        const b = req.body ?? {};
        return principalJson(await updatePrincipal(services, requireCaller(req), req.params.org, type, req.params.name, {
          ...(b.description !== undefined && { description: b.description }), ...(b.metadata && { metadata: b.metadata }),
          ...(b.inline_policy !== undefined && { inlinePolicy: b.inline_policy }),
        }));
      });
    }

    api.delete<{ Params: Params }>(`${base}/:name`, async (req, reply) => {
      await deletePrincipal(services, requireCaller(req), req.params.org, type, req.params.name);
      return reply.status(204).send();
    });

    api.post<{ Params: Params; Body: { name: string; description?: string } }>(`${base}/:name/auth/keys`, {
      schema: { body: { type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 1 }, description: { type: 'string' } } } },
    }, async (req, reply) => {
      const { key, token } = await createKeyFor(services, requireCaller(req), req.params.org, type, req.params.name, req.body.name, req.body.description);
      return reply.status(201).send({ ...apiTokenJson(key), token, access_key_id: key.id, secret_access_key: token });
    });

    api.get<{ Params: Params; Querystring: PageQuery }>(`${base}/:name/auth/keys`, { schema: { querystring: { type: 'object', properties: pageQuerySchema } } }, async (req) => {
      const target = await getPrincipal(services, requireCaller(req), req.params.org, type, req.params.name);
      const { after, limit } = pageParams(req.query);
      const page = await apiKeys.listKeys(services.db, target.id, { after, limit });
      return paginated(page.items.map(apiTokenJson), page, limit);
    });

    api.get<{ Params: Params & { keyId: string } }>(`${base}/:name/auth/keys/:keyId`, async (req) =>
      apiTokenJson(await keyOf(services, requireCaller(req), req.params.org, type, req.params.name, req.params.keyId)));

    api.delete<{ Params: Params & { keyId: string } }>(`${base}/:name/auth/keys/:keyId`, async (req, reply) => {
      const target = await getPrincipal(services, requireCaller(req), req.params.org, type, req.params.name);
      await apiKeys.revokeKey(services.db, target.id, req.params.keyId);
      return reply.status(204).send();
    });
  }
}
