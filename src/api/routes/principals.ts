// Roles and agents, and their keys: /organizations/{org}/{roles|agents}[/{name}[/auth/keys[/{key_id}]]].
import type { FastifyInstance } from 'fastify';
import { apiKeys, principals } from '../../catalog/index.js';
import type { Principal } from '../../catalog/queries/principals.js';
import {
  createKeyFor, createPrincipal, deletePrincipal, getPrincipal, keyOf, managedOrganization, updatePrincipal, type OrgPrincipalType,
} from '../../core/principals.js';
import type { ApiDeps } from '../index.js';
import { requireCaller } from '../auth.js';
import { pageParams, type PageQuery } from '../pagination.js';
import { paginated } from '../representations.js';
import {
  EMPTY, KEY_ID, NAME_PARAM, NO_QUERY, object, ORG_PARAMS, PAGE_QUERY, paginatedOf, params, responses, SLUG, STRING_MAP,
} from '../schemas/common.js';
import { AGENT, API_TOKEN, API_TOKEN_CREATED, ROLE } from '../schemas/entities.js';
import { apiTokenJson, KEY_BODY } from './auth.js';

const NAMED = params({ org: NAME_PARAM, name: NAME_PARAM });
const KEY = params({ org: NAME_PARAM, name: NAME_PARAM, keyId: KEY_ID });
const DESCRIPTION = { type: 'string', maxLength: 10_000 } as const;

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
    const bodyProperties = type === 'agent'
      ? { description: DESCRIPTION, metadata: STRING_MAP, inline_policy: { type: 'string', maxLength: 100_000, description: 'validated; "" clears it' } }
      : { description: DESCRIPTION };
    const entity = type === 'agent' ? AGENT : ROLE;
    const tags = [plural];

    api.post<{ Params: { org: string }; Body: Body }>(base, {
      schema: {
        summary: `Create ${type === 'agent' ? 'an agent (capped by its creator\'s permissions)' : 'a role'} (needs ManagePrincipals)`, tags, params: ORG_PARAMS,
        body: object({ name: SLUG, ...bodyProperties }, ['name']), response: responses({ 201: entity }),
      },
    }, async (req, reply) => {
      const b = req.body;
      const p = await createPrincipal(services, requireCaller(req), req.params.org, type, {
        name: b.name, ...(b.description !== undefined && { description: b.description }),
        ...(b.metadata && { metadata: b.metadata }), ...(b.inline_policy !== undefined && { inlinePolicy: b.inline_policy }),
      });
      return reply.status(201).send(principalJson(p));
    });

    api.get<{ Params: { org: string }; Querystring: PageQuery }>(base, {
      schema: { summary: `${plural} by name`, tags, params: ORG_PARAMS, querystring: object(PAGE_QUERY), response: responses({ 200: paginatedOf(entity) }) },
    }, async (req) => {
      const org = await managedOrganization(services, requireCaller(req), req.params.org);
      const { after, limit } = pageParams(req.query);
      const page = await principals.listOrgPrincipals(services.db, org.id, type, { after, limit });
      return paginated(page.items.map(principalJson), page, limit);
    });

    api.get<{ Params: Params }>(`${base}/:name`, {
      schema: { summary: `A ${type}`, tags, params: NAMED, querystring: NO_QUERY, response: responses({ 200: entity }) },
    }, async (req) =>
      principalJson(await getPrincipal(services, requireCaller(req), req.params.org, type, req.params.name)));

    if (type === 'agent') {
      api.put<{ Params: Params; Body: Omit<Body, 'name'> | undefined }>(`${base}/:name`, {
        schema: {
          summary: 'Change the given fields of an agent', tags, params: NAMED, querystring: NO_QUERY,
          body: { ...object(bodyProperties), type: ['object', 'null'] }, response: responses({ 200: AGENT }),
        },
      }, async (req) => {
        const b = req.body ?? {};
        return principalJson(await updatePrincipal(services, requireCaller(req), req.params.org, type, req.params.name, {
          ...(b.description !== undefined && { description: b.description }), ...(b.metadata && { metadata: b.metadata }),
          ...(b.inline_policy !== undefined && { inlinePolicy: b.inline_policy }),
        }));
      });
    }

    api.delete<{ Params: Params }>(`${base}/:name`, {
      schema: { summary: `Delete a ${type} and revoke its keys`, tags, params: NAMED, querystring: NO_QUERY, response: responses({ 204: EMPTY }) },
    }, async (req, reply) => {
      await deletePrincipal(services, requireCaller(req), req.params.org, type, req.params.name);
      return reply.status(204).send();
    });

    api.post<{ Params: Params; Body: { name: string; description?: string } }>(`${base}/:name/auth/keys`, {
      schema: { summary: `Create a key of the ${type} (${type === 'agent' ? 'tak-' : 'trk-'}; the token is shown once)`, tags, params: NAMED, querystring: NO_QUERY, body: KEY_BODY, response: responses({ 201: API_TOKEN_CREATED }) },
    }, async (req, reply) => {
      const { key, token } = await createKeyFor(services, requireCaller(req), req.params.org, type, req.params.name, req.body.name, req.body.description);
      return reply.status(201).send({ ...apiTokenJson(key), token, access_key_id: key.id, secret_access_key: token });
    });

    api.get<{ Params: Params; Querystring: PageQuery }>(`${base}/:name/auth/keys`, {
      schema: { summary: `Keys of the ${type}`, tags, params: NAMED, querystring: object(PAGE_QUERY), response: responses({ 200: paginatedOf(API_TOKEN) }) },
    }, async (req) => {
      const target = await getPrincipal(services, requireCaller(req), req.params.org, type, req.params.name);
      const { after, limit } = pageParams(req.query);
      const page = await apiKeys.listKeys(services.db, target.id, { after, limit });
      return paginated(page.items.map(apiTokenJson), page, limit);
    });

    api.get<{ Params: Params & { keyId: string } }>(`${base}/:name/auth/keys/:keyId`, {
      schema: { summary: `One key of the ${type}`, tags, params: KEY, querystring: NO_QUERY, response: responses({ 200: API_TOKEN }) },
    }, async (req) =>
      apiTokenJson(await keyOf(services, requireCaller(req), req.params.org, type, req.params.name, req.params.keyId)));

    api.delete<{ Params: Params & { keyId: string } }>(`${base}/:name/auth/keys/:keyId`, {
      schema: { summary: `Revoke a key of the ${type}`, tags, params: KEY, querystring: NO_QUERY, response: responses({ 204: EMPTY }) },
    }, async (req, reply) => {
      const target = await getPrincipal(services, requireCaller(req), req.params.org, type, req.params.name);
      await apiKeys.revokeKey(services.db, target.id, req.params.keyId);
      return reply.status(204).send();
    });
  }
}
