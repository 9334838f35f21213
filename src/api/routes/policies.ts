// Policies: /organizations/{org}/policies[/{id}[/attachments]], policies:validate, attachments.
import type { FastifyInstance } from 'fastify';
import { policies } from '../../catalog/index.js';
import type { AttachmentRow, PolicyRow } from '../../catalog/queries/policies.js';
import { attach, createPolicy, deletePolicy, policyOrganization, updatePolicy, validatePolicyText } from '../../core/policies.js';
import type { ApiDeps } from '../index.js';
import { requireCaller } from '../auth.js';
import { pageParams, pageQuerySchema, type PageQuery } from '../pagination.js';
import { paginated } from '../representations.js';

const summaryJson = (p: PolicyRow) => ({
  id: p.id, organization_id: p.orgId, name: p.name, description: p.description, is_builtin: p.isBuiltin,
  created_at: p.createdAt.toISOString(), updated_at: p.updatedAt.toISOString(), attachment_count: p.attachmentCount,
});
const policyJson = (p: PolicyRow) => ({
  ...summaryJson(p), policy_text: p.policyText, created_by_type: p.createdByType, created_by: p.createdBy,
});
const attachmentJson = (a: AttachmentRow) => ({
  policy_id: a.policyId, policy_name: a.policyName, is_builtin: a.isBuiltin, principal_type: a.principalType, principal_id: a.principalId,
  principal_name: a.principalName, attached_by_type: a.attachedByType, attached_by: a.attachedBy, attached_at: a.attachedAt.toISOString(),
});

type Params = { org: string; id: string };
const PRINCIPAL = { type: 'object', required: ['principal_type', 'principal_id'], properties: { principal_type: { type: 'string', enum: ['user', 'group', 'role', 'agent'] }, principal_id: { type: 'string', format: 'uuid' } } } as const;

export function policyRoutes(api: FastifyInstance, { services }: ApiDeps): void {
  const base = '/organizations/:org/policies';
  api.post<{ Params: { org: string }; Body: { name: string; description?: string; policy_text: string } }>(base, {
    schema: { body: { type: 'object', required: ['name', 'policy_text'], properties: { name: { type: 'string', minLength: 1 }, description: { type: 'string' }, policy_text: { type: 'string' } } } },
  }, async (req, reply) => {
    const b = req.body;
    const p = await createPolicy(services, requireCaller(req), req.params.org, { name: b.name, text: b.policy_text, ...(b.description !== undefined && { description: b.description }) });
    return reply.status(201).send(policyJson(p));
  });

  api.post<{ Params: { org: string }; Body: { policy_text: string } }>('/organizations/:org/policies::validate', {
    schema: { body: { type: 'object', required: ['policy_text'], properties: { policy_text: { type: 'string' } } } },
  }, async (req) => {
    await policyOrganization(services, requireCaller(req), req.params.org);
    const errors = validatePolicyText(req.body.policy_text);
    return { valid: errors.length === 0, errors: errors.map((e) => ({ line: e.line, column: e.column, message: e.message })) };
  });

  api.get<{ Params: { org: string }; Querystring: PageQuery }>(base, { schema: { querystring: { type: 'object', properties: pageQuerySchema } } }, async (req) => {
    const org = await policyOrganization(services, requireCaller(req), req.params.org);
    const { after, limit } = pageParams(req.query);
    const page = await policies.listPolicies(services.db, org.id, { after, limit });
    return paginated(page.items.map(summaryJson), page, limit);
  });

  api.get<{ Params: Params }>(`${base}/:id`, async (req) => {
    const org = await policyOrganization(services, requireCaller(req), req.params.org);
    const policy = await policies.getPolicy(services.db, org.id, req.params.id);
    return { policy: policyJson(policy), attachments: (await policies.listAttachments(services.db, org.id, policy.id)).map(attachmentJson) };
  });

  api.put<{ Params: Params; Body: { name?: string; description?: string; policy_text?: string } }>(`${base}/:id`, {
    schema: { body: { type: 'object', properties: { name: { type: 'string', minLength: 1 }, description: { type: 'string' }, policy_text: { type: 'string' } } } },
  }, async (req) => {
    const b = req.body ?? {};
    return policyJson(await updatePolicy(services, requireCaller(req), req.params.org, req.params.id, {
      ...(b.name !== undefined && { name: b.name }), ...(b.description !== undefined && { description: b.description }), ...(b.policy_text !== undefined && { text: b.policy_text }),
    }));
  });

  api.delete<{ Params: Params }>(`${base}/:id`, async (req, reply) => {
    await deletePolicy(services, requireCaller(req), req.params.org, req.params.id);
    return reply.status(204).send();
  });

  api.post<{ Params: Params; Body: { principal_type: string; principal_id: string } }>(`${base}/:id/attachments`, { schema: { body: PRINCIPAL } }, async (req, reply) => {
    await attach(services, requireCaller(req), req.params.org, req.params.id, req.body.principal_type, req.body.principal_id);
    return reply.status(201).send({});
  });

  api.delete<{ Params: Params; Querystring: { principal_type: string; principal_id: string } }>(`${base}/:id/attachments`, { schema: { querystring: PRINCIPAL } }, async (req, reply) => {
    await attach(services, requireCaller(req), req.params.org, req.params.id, req.query.principal_type, req.query.principal_id, true);
    return reply.status(204).send();
  });

  api.get<{ Params: { org: string } }>('/organizations/:org/attachments', async (req) => {
    const org = await policyOrganization(services, requireCaller(req), req.params.org);
    return { results: (await policies.listAttachments(services.db, org.id)).map(attachmentJson) };
  });
}
