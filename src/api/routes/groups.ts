// Groups and effective permissions: /organizations/{org}/groups[/{id}[/members]],
// /effective-groups and /effective-policies.
import type { FastifyInstance } from 'fastify';
import { groups, policies, principals } from '../../catalog/index.js';
import type { Principal } from '../../catalog/queries/principals.js';
import { addGroupMember, effectiveGroupsOf, effectivePoliciesOf, groupById, groupOrganization } from '../../core/groups.js';
import type { ApiDeps } from '../index.js';
import { ApiError } from '../errors.js';
import { requireCaller } from '../auth.js';
import { pageParams, pageQuerySchema, type PageQuery } from '../pagination.js';
import { paginated } from '../representations.js';

const groupJson = (g: Principal) => ({
  id: g.id, organization_id: g.orgId, name: g.name, description: g.description, created_by_type: g.createdByType, created_by: g.createdBy, created_at: g.createdAt.toISOString(),
});
const SUBJECT_TYPES = ['user', 'group', 'role', 'agent'] as const;
type SubjectType = (typeof SUBJECT_TYPES)[number];
const SUBJECT = { type: 'object', required: ['subject_type', 'subject_id'], properties: { subject_type: { type: 'string', enum: SUBJECT_TYPES }, subject_id: { type: 'string', format: 'uuid' } } } as const;
const EFFECTIVE_QUERY = { type: 'object', properties: { principal_type: { type: 'string', enum: SUBJECT_TYPES }, principal_id: { type: 'string', format: 'uuid' }, user_id: { type: 'string', format: 'uuid' } } } as const;
type EffectiveQuery = { principal_type?: SubjectType; principal_id?: string; user_id?: string };

function principalOf(q: EffectiveQuery): { type: SubjectType; id: string } {
  if (q.principal_type && q.principal_id) return { type: q.principal_type, id: q.principal_id };
  if (q.user_id) return { type: 'user', id: q.user_id };
  throw new ApiError(400, 'BAD_REQUEST', 'give principal_type and principal_id (or user_id)');
}

export function groupRoutes(api: FastifyInstance, { services }: ApiDeps): void {
  const base = '/organizations/:org/groups';
  api.post<{ Params: { org: string }; Body: { name: string; description?: string } }>(base, {
    schema: { body: { type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 1, maxLength: 100 }, description: { type: 'string' } } } },
  }, async (req, reply) => {
    const caller = requireCaller(req);
    const org = await groupOrganization(services, caller, req.params.org);
    const group = await principals.createOrgPrincipal(services.db, { type: 'group', orgId: org.id, name: req.body.name, description: req.body.description ?? '', createdBy: caller.actor });
    return reply.status(201).send(groupJson(group));
  });

  api.get<{ Params: { org: string }; Querystring: PageQuery }>(base, { schema: { querystring: { type: 'object', properties: pageQuerySchema } } }, async (req) => {
    const org = await groupOrganization(services, requireCaller(req), req.params.org);
    const { after, limit } = pageParams(req.query);
    const page = await principals.listOrgPrincipals(services.db, org.id, 'group', { after, limit });
    return paginated(page.items.map(groupJson), page, limit);
  });

  api.get<{ Params: { org: string; id: string } }>(`${base}/:id`, async (req) => {
    const org = await groupOrganization(services, requireCaller(req), req.params.org);
    const group = await groupById(services, org, req.params.id);
    const members = await groups.listMembers(services.db, group.id);
    const attachments = (await policies.listAttachments(services.db, org.id)).filter((a) => a.principalId === group.id);
    return {
      group: groupJson(group),
      members: members.map((m) => ({ subject_type: m.subjectType, subject_id: m.subjectId, display_name: m.fullName || m.name, username: m.name, added_at: m.addedAt.toISOString() })),
      attachments: attachments.map((a) => ({ policy_id: a.policyId, policy_name: a.policyName, is_builtin: a.isBuiltin, principal_type: a.principalType, principal_id: a.principalId, principal_name: a.principalName, attached_by_type: a.attachedByType, attached_by: a.attachedBy, attached_at: a.attachedAt.toISOString() })),
    };
  });

  api.delete<{ Params: { org: string; id: string } }>(`${base}/:id`, async (req, reply) => {
    const org = await groupOrganization(services, requireCaller(req), req.params.org);
    const group = await groupById(services, org, req.params.id);
    await principals.deleteOrgPrincipal(services.db, group.id);
    return reply.status(204).send();
  });

  api.post<{ Params: { org: string; id: string }; Body: { subject_type: SubjectType; subject_id: string } }>(`${base}/:id/members`, { schema: { body: SUBJECT } }, async (req, reply) => {
    await addGroupMember(services, requireCaller(req), req.params.org, req.params.id, req.body.subject_type, req.body.subject_id);
    return reply.status(201).send({});
  });

  api.delete<{ Params: { org: string; id: string }; Querystring: { subject_type: SubjectType; subject_id: string } }>(`${base}/:id/members`, { schema: { querystring: SUBJECT } }, async (req, reply) => {
    const org = await groupOrganization(services, requireCaller(req), req.params.org);
    const group = await groupById(services, org, req.params.id);
    await groups.removeMember(services.db, group.id, req.query.subject_id);
    return reply.status(204).send();
  });

  api.get<{ Params: { org: string }; Querystring: EffectiveQuery }>('/organizations/:org/effective-groups', { schema: { querystring: EFFECTIVE_QUERY } }, async (req) => {
    const org = await groupOrganization(services, requireCaller(req), req.params.org);
    const who = principalOf(req.query);
    const found = await effectiveGroupsOf(services, org, who.type, who.id);
    const names = new Map((await principals.listOrgPrincipals(services.db, org.id, 'group', { limit: 10_000 })).items.map((g) => [g.id, g]));
    return {
      results: found.map((g) => ({
        group_id: g.groupId, group_name: names.get(g.groupId)?.name ?? '', description: names.get(g.groupId)?.description ?? '',
        source: g.source, source_name: g.viaGroupId ? names.get(g.viaGroupId)?.name ?? '' : '',
      })),
    };
  });

  api.get<{ Params: { org: string }; Querystring: EffectiveQuery }>('/organizations/:org/effective-policies', { schema: { querystring: EFFECTIVE_QUERY } }, async (req) => {
    const org = await groupOrganization(services, requireCaller(req), req.params.org);
    const who = principalOf(req.query);
    const found = await effectivePoliciesOf(services, org, who.type, who.id);
    const all = new Map((await policies.listPolicies(services.db, org.id, { limit: 10_000 })).items.map((p) => [p.id, p]));
    const groupNames = new Map((await principals.listOrgPrincipals(services.db, org.id, 'group', { limit: 10_000 })).items.map((g) => [g.id, g.name]));
    return {
      results: found.map((p) => (p.source === 'inline'
        ? { policy_id: '', policy_name: 'inline', is_builtin: false, source: 'inline', source_name: '' }
        : { policy_id: p.policyId, policy_name: all.get(p.policyId)?.name ?? '', is_builtin: all.get(p.policyId)?.isBuiltin ?? false, source: p.source, source_name: p.source === 'group' ? groupNames.get(p.groupId) ?? '' : '' })),
    };
  });
}

