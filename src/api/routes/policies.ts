// Policies: /organizations/{org}/policies[/{id}[/attachments]], policies:validate, attachments.
import type { FastifyInstance } from 'fastify';
import { policies } from '../../catalog/index.js';
import type { AttachmentRow, PolicyRow } from '../../catalog/queries/policies.js';
import { attach, createPolicy, deletePolicy, policyOrganization, updatePolicy, validatePolicyText } from '../../core/policies.js';
import type { ApiDeps } from '../index.js';
import { requireCaller } from '../auth.js';
import { pageParams, type PageQuery } from '../pagination.js';
import { paginated } from '../representations.js';
import {
  EMPTY, NAME_PARAM, NO_QUERY, object, ORG_PARAMS, PAGE_QUERY, paginatedOf, params, PRINCIPAL_TYPE, responses, resultsOf, UUID,
} from '../schemas/common.js';
import { ATTACHMENT, POLICY, POLICY_SUMMARY, VALIDATION_RESULT } from '../schemas/entities.js';

const summaryJson = (p: PolicyRow) => ({
  id: p.id, organization_id: p.orgId, name: p.name, description: p.description, is_builtin: p.isBuiltin,
  created_at: p.createdAt.toISOString(), updated_at: p.updatedAt.toISOString(), attachment_count: p.attachmentCount,
});
const policyJson = (p: PolicyRow) => ({
  ...summaryJson(p), policy_text: p.policyText, created_by_type: p.createdByType, created_by: p.createdBy,
});
export const attachmentJson = (a: AttachmentRow) => ({
  policy_id: a.policyId, policy_name: a.policyName, is_builtin: a.isBuiltin, principal_type: a.principalType, principal_id: a.principalId,
  principal_name: a.principalName, attached_by_type: a.attachedByType, attached_by: a.attachedBy, attached_at: a.attachedAt.toISOString(),
});

type Params = { org: string; id: string };
const PRINCIPAL = object({ principal_type: PRINCIPAL_TYPE, principal_id: UUID }, ['principal_type', 'principal_id']);
const POLICY_PARAMS = params({ org: NAME_PARAM, id: UUID });
const NAME = { type: 'string', minLength: 1, maxLength: 200 } as const;
const TEXT = { type: 'string', maxLength: 100_000 } as const;
const DESCRIPTION = { type: 'string', maxLength: 10_000 } as const;
const tags = ['policies'];

export function policyRoutes(api: FastifyInstance, { services }: ApiDeps): void {
  const base = '/organizations/:org/policies';
  api.post<{ Params: { org: string }; Body: { name: string; description?: string; policy_text: string } }>(base, {
    schema: {
      summary: 'Create a policy (its text is validated; needs ManagePolicies)', tags, params: ORG_PARAMS,
      body: object({ name: NAME, description: DESCRIPTION, policy_text: TEXT }, ['name', 'policy_text']), response: responses({ 201: POLICY }),
    },
  }, async (req, reply) => {
    const b = req.body;
    const p = await createPolicy(services, requireCaller(req), req.params.org, { name: b.name, text: b.policy_text, ...(b.description !== undefined && { description: b.description }) });
    return reply.status(201).send(policyJson(p));
  });

  api.post<{ Params: { org: string }; Body: { policy_text: string } }>('/organizations/:org/policies::validate', {
    schema: {
      summary: 'Check a policy text: 200 either way, with the line and column of each error', tags, params: ORG_PARAMS,
      body: object({ policy_text: TEXT }, ['policy_text']), response: responses({ 200: VALIDATION_RESULT }),
    },
  }, async (req) => {
    await policyOrganization(services, requireCaller(req), req.params.org);
    const errors = validatePolicyText(req.body.policy_text);
    return { valid: errors.length === 0, errors: errors.map((e) => ({ line: e.line, column: e.column, message: e.message })) };
  });

  api.get<{ Params: { org: string }; Querystring: PageQuery }>(base, {
    schema: { summary: 'Policies by name, without their text', tags, params: ORG_PARAMS, querystring: object(PAGE_QUERY), response: responses({ 200: paginatedOf(POLICY_SUMMARY) }) },
  }, async (req) => {
    const org = await policyOrganization(services, requireCaller(req), req.params.org);
    const { after, limit } = pageParams(req.query);
    const page = await policies.listPolicies(services.db, org.id, { after, limit });
    return paginated(page.items.map(summaryJson), page, limit);
  });

  api.get<{ Params: Params }>(`${base}/:id`, {
    schema: {
      summary: 'A policy with its attachments', tags, params: POLICY_PARAMS, querystring: NO_QUERY,
      response: responses({ 200: object({ policy: POLICY, attachments: { type: 'array', items: ATTACHMENT } }, ['policy', 'attachments']) }),
    },
  }, async (req) => {
    const org = await policyOrganization(services, requireCaller(req), req.params.org);
    const policy = await policies.getPolicy(services.db, org.id, req.params.id);
    return { policy: policyJson(policy), attachments: (await policies.listAttachments(services.db, org.id, policy.id)).map(attachmentJson) };
  });

  api.put<{ Params: Params; Body: { name?: string; description?: string; policy_text?: string } | undefined }>(`${base}/:id`, {
    schema: {
      summary: 'Change the given fields (built-ins are read-only: 403)', tags, params: POLICY_PARAMS, querystring: NO_QUERY,
      body: { ...object({ name: NAME, description: DESCRIPTION, policy_text: TEXT }), type: ['object', 'null'] }, response: responses({ 200: POLICY }),
    },
  }, async (req) => {
    const b = req.body ?? {};
    return policyJson(await updatePolicy(services, requireCaller(req), req.params.org, req.params.id, {
      ...(b.name !== undefined && { name: b.name }), ...(b.description !== undefined && { description: b.description }), ...(b.policy_text !== undefined && { text: b.policy_text }),
    }));
  });

  api.delete<{ Params: Params }>(`${base}/:id`, {
    schema: { summary: 'Delete a policy (400 for a built-in)', tags, params: POLICY_PARAMS, querystring: NO_QUERY, response: responses({ 204: EMPTY }) },
  }, async (req, reply) => {
    await deletePolicy(services, requireCaller(req), req.params.org, req.params.id);
    return reply.status(204).send();
  });

  api.post<{ Params: Params; Body: { principal_type: string; principal_id: string } }>(`${base}/:id/attachments`, {
    schema: { summary: 'Attach the policy to a user, group, role or agent', tags, params: POLICY_PARAMS, querystring: NO_QUERY, body: PRINCIPAL, response: responses({ 201: object({}) }) },
  }, async (req, reply) => {
    await attach(services, requireCaller(req), req.params.org, req.params.id, req.body.principal_type, req.body.principal_id);
    return reply.status(201).send({});
  });

  api.delete<{ Params: Params; Querystring: { principal_type: string; principal_id: string } }>(`${base}/:id/attachments`, {
    schema: { summary: 'Detach the policy', tags, params: POLICY_PARAMS, querystring: PRINCIPAL, response: responses({ 204: EMPTY }) },
  }, async (req, reply) => {
    await attach(services, requireCaller(req), req.params.org, req.params.id, req.query.principal_type, req.query.principal_id, true);
    return reply.status(204).send();
  });

  api.get<{ Params: { org: string } }>('/organizations/:org/attachments', {
    schema: { summary: 'Every attachment in the organization (complete)', tags, params: ORG_PARAMS, querystring: NO_QUERY, response: responses({ 200: resultsOf(ATTACHMENT) }) },
  }, async (req) => {
    const org = await policyOrganization(services, requireCaller(req), req.params.org);
    return { results: (await policies.listAttachments(services.db, org.id)).map(attachmentJson) };
  });
}
