// Groups and effective permissions: /organizations/{org}/groups[/{id}[/members]],
// /effective-groups and /effective-policies.
import type { FastifyInstance } from 'fastify';
import { groups, policies, principals } from '../../catalog/index.js';
import type { Principal } from '../../catalog/queries/principals.js';
import { addGroupMember, effectiveGroupsOf, effectivePoliciesOf, groupById, groupOrganization, updateGroup } from '../../core/groups.js';
import type { ApiDeps } from '../index.js';
import { ApiError } from '../errors.js';
import { requireCaller } from '../auth.js';
import { pageParams, type PageQuery } from '../pagination.js';
import { paginated } from '../representations.js';
import {
  EMPTY, NAME_PARAM, NO_QUERY, object, ORG_PARAMS, PAGE_QUERY, paginatedOf, params, PRINCIPAL_TYPE, responses, resultsOf, UUID,
} from '../schemas/common.js';
import { ATTACHMENT, EFFECTIVE_GROUP, EFFECTIVE_POLICY, GROUP, GROUP_MEMBER } from '../schemas/entities.js';
import { attachmentJson } from './policies.js';

const groupJson = (g: Principal) => ({
  id: g.id, organization_id: g.orgId, name: g.name, description: g.description, created_by_type: g.createdByType, created_by: g.createdBy, created_at: g.createdAt.toISOString(),
});
type SubjectType = 'user' | 'group' | 'role' | 'agent';
const SUBJECT = object({ subject_type: PRINCIPAL_TYPE, subject_id: UUID }, ['subject_type', 'subject_id']);
const EFFECTIVE_QUERY = object({ principal_type: PRINCIPAL_TYPE, principal_id: UUID, user_id: { ...UUID, description: 'legacy: the same as principal_type=user' } });
type EffectiveQuery = { principal_type?: SubjectType; principal_id?: string; user_id?: string };
const GROUP_PARAMS = params({ org: NAME_PARAM, id: UUID });
const GROUP_NAME = { type: 'string', minLength: 1, maxLength: 100 } as const;
const DESCRIPTION = { type: 'string', maxLength: 10_000 } as const;
const tags = ['groups'];

function principalOf(q: EffectiveQuery): { type: SubjectType; id: string } {
  if (q.principal_type && q.principal_id) return { type: q.principal_type, id: q.principal_id };
  if (q.user_id) return { type: 'user', id: q.user_id };
  throw new ApiError(400, 'BAD_REQUEST', 'give principal_type and principal_id (or user_id)');
}

export function groupRoutes(api: FastifyInstance, { services }: ApiDeps): void {
  const base = '/organizations/:org/groups';
  api.post<{ Params: { org: string }; Body: { name: string; description?: string } }>(base, {
    schema: { summary: 'Create a group (needs ManageGroups)', tags, params: ORG_PARAMS, body: object({ name: GROUP_NAME, description: DESCRIPTION }, ['name']), response: responses({ 201: GROUP }) },
  }, async (req, reply) => {
    const caller = requireCaller(req);
    const org = await groupOrganization(services, caller, req.params.org);
    const group = await principals.createOrgPrincipal(services.db, { type: 'group', orgId: org.id, name: req.body.name, description: req.body.description ?? '', createdBy: caller.actor });
    return reply.status(201).send(groupJson(group));
  });

  api.get<{ Params: { org: string }; Querystring: PageQuery }>(base, {
    schema: { summary: 'Groups by name', tags, params: ORG_PARAMS, querystring: object(PAGE_QUERY), response: responses({ 200: paginatedOf(GROUP) }) },
  }, async (req) => {
    const org = await groupOrganization(services, requireCaller(req), req.params.org);
    const { after, limit } = pageParams(req.query);
    const page = await principals.listOrgPrincipals(services.db, org.id, 'group', { after, limit });
    return paginated(page.items.map(groupJson), page, limit);
  });

  api.get<{ Params: { org: string; id: string } }>(`${base}/:id`, {
    schema: {
      summary: 'A group with its direct members and attachments', tags, params: GROUP_PARAMS, querystring: NO_QUERY,
      response: responses({ 200: object({ group: GROUP, members: { type: 'array', items: GROUP_MEMBER }, attachments: { type: 'array', items: ATTACHMENT } }, ['group', 'members', 'attachments']) }),
    },
  }, async (req) => {
    const org = await groupOrganization(services, requireCaller(req), req.params.org);
    const group = await groupById(services, org, req.params.id);
    const members = await groups.listMembers(services.db, group.id);
    const attachments = await policies.listAttachments(services.db, org.id);
    return {
      group: groupJson(group),
      members: members.map((m) => ({ subject_type: m.subjectType, subject_id: m.subjectId, display_name: m.fullName || m.name, username: m.name, added_at: m.addedAt.toISOString() })),
      attachments: attachments.filter((a) => a.principalId === group.id).map(attachmentJson),
    };
  });

  api.put<{ Params: { org: string; id: string }; Body: { name?: string; description?: string } | undefined }>(`${base}/:id`, {
    schema: {
      summary: 'Rename a group or change its description', tags, params: GROUP_PARAMS, querystring: NO_QUERY,
      body: { ...object({ name: GROUP_NAME, description: DESCRIPTION }), type: ['object', 'null'] }, response: responses({ 200: GROUP }),
    },
  }, async (req) => {
    const b = req.body ?? {};
    const group = await updateGroup(services, requireCaller(req), req.params.org, req.params.id, {
      ...(b.name !== undefined && { name: b.name }), ...(b.description !== undefined && { description: b.description }),
    });
    return groupJson(group);
  });

  api.delete<{ Params: { org: string; id: string } }>(`${base}/:id`, {
    schema: { summary: 'Delete a group', tags, params: GROUP_PARAMS, querystring: NO_QUERY, response: responses({ 204: EMPTY }) },
  }, async (req, reply) => {
    const org = await groupOrganization(services, requireCaller(req), req.params.org);
    const group = await groupById(services, org, req.params.id);
    await principals.deleteOrgPrincipal(services.db, group.id);
    return reply.status(204).send();
  });

  api.post<{ Params: { org: string; id: string }; Body: { subject_type: SubjectType; subject_id: string } }>(`${base}/:id/members`, {
    schema: { summary: 'Add a member (a user, role, agent, or a nested group; a cycle is refused)', tags, params: GROUP_PARAMS, querystring: NO_QUERY, body: SUBJECT, response: responses({ 201: object({}) }) },
  }, async (req, reply) => {
    await addGroupMember(services, requireCaller(req), req.params.org, req.params.id, req.body.subject_type, req.body.subject_id);
    return reply.status(201).send({});
  });

  api.delete<{ Params: { org: string; id: string }; Querystring: { subject_type: SubjectType; subject_id: string } }>(`${base}/:id/members`, {
    schema: { summary: 'Remove a member', tags, params: GROUP_PARAMS, querystring: SUBJECT, response: responses({ 204: EMPTY }) },
  }, async (req, reply) => {
    const org = await groupOrganization(services, requireCaller(req), req.params.org);
    const group = await groupById(services, org, req.params.id);
    await groups.removeMember(services.db, group.id, req.query.subject_id);
    return reply.status(204).send();
  });

  api.get<{ Params: { org: string }; Querystring: EffectiveQuery }>('/organizations/:org/effective-groups', {
    schema: { summary: 'The groups a principal is in, directly or through nested groups (complete)', tags, params: ORG_PARAMS, querystring: EFFECTIVE_QUERY, response: responses({ 200: resultsOf(EFFECTIVE_GROUP) }) },
  }, async (req) => {
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

  api.get<{ Params: { org: string }; Querystring: EffectiveQuery }>('/organizations/:org/effective-policies', {
    schema: { summary: "A principal's policies: direct, through groups, or an agent's inline one (complete)", tags: ['policies'], params: ORG_PARAMS, querystring: EFFECTIVE_QUERY, response: responses({ 200: resultsOf(EFFECTIVE_POLICY) }) },
  }, async (req) => {
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
