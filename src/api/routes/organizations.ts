// Organizations and members: /organizations[/{org}[/members[/{user_id}]]].
import type { FastifyInstance } from 'fastify';
import { callerOrganizations, visibleOrganization } from '../../core/caller.js';
import { addMember, createOrganization, deleteOrganization, listMembers, removeMember } from '../../core/organizations.js';
import type { ApiDeps } from '../index.js';
import { requireCaller } from '../auth.js';
import { organizationJson } from '../representations.js';

const SLUG = { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{1,62}$' } as const;

export function organizationRoutes(api: FastifyInstance, { services }: ApiDeps): void {
  api.post<{ Body: { name: string; display_name: string } }>('/organizations', {
    schema: { body: { type: 'object', required: ['name', 'display_name'], properties: { name: SLUG, display_name: { type: 'string', minLength: 1 } } } },
  }, async (req, reply) => {
    const org = await createOrganization(services, requireCaller(req), req.body.name, req.body.display_name);
    return reply.status(201).send(organizationJson(org));
  });

  api.get('/organizations', async (req) => ({ results: (await callerOrganizations(services, requireCaller(req))).map(organizationJson) }));

  api.get<{ Params: { org: string } }>('/organizations/:org', async (req) =>
    organizationJson(await visibleOrganization(services, requireCaller(req), req.params.org)));

  api.delete<{ Params: { org: string } }>('/organizations/:org', async (req, reply) => {
    await deleteOrganization(services, requireCaller(req), req.params.org);
    return reply.status(204).send();
  });

  api.get<{ Params: { org: string } }>('/organizations/:org/members', async (req) => {
    const { org, members } = await listMembers(services, requireCaller(req), req.params.org);
    return {
      results: members.map((m) => ({
        organization_id: org.id, user_id: m.userId, username: m.username, full_name: m.fullName, email: m.email, joined_at: m.joinedAt.toISOString(),
      })),
    };
  });

  api.post<{ Params: { org: string }; Body: { username: string } }>('/organizations/:org/members', {
    schema: { body: { type: 'object', required: ['username'], properties: { username: { type: 'string', minLength: 1 } } } },
  }, async (req, reply) => {
    await addMember(services, requireCaller(req), req.params.org, req.body.username);
    return reply.status(201).send({ username: req.body.username });
  });

  api.delete<{ Params: { org: string; userId: string } }>('/organizations/:org/members/:userId', {
    schema: { params: { type: 'object', properties: { userId: { type: 'string', format: 'uuid' } } } },
  }, async (req, reply) => {
    await removeMember(services, requireCaller(req), req.params.org, req.params.userId);
    return reply.status(204).send();
  });
}
