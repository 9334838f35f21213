// Organizations and members: /organizations[/{org}[/members[/{user_id}]]].
import type { FastifyInstance } from 'fastify';
import { callerOrganizations, visibleOrganization } from '../../core/caller.js';
import { addMember, createOrganization, deleteOrganization, listMembers, removeMember } from '../../core/organizations.js';
import type { ApiDeps } from '../index.js';
import { requireCaller } from '../auth.js';
import { organizationJson } from '../representations.js';
import { EMPTY, NAME_PARAM, NO_QUERY, object, ORG_PARAMS, params, responses, resultsOf, SLUG, UUID } from '../schemas/common.js';
import { MEMBERSHIP, ORGANIZATION } from '../schemas/entities.js';

const tags = ['organizations'];

export function organizationRoutes(api: FastifyInstance, { services }: ApiDeps): void {
  api.post<{ Body: { name: string; display_name: string } }>('/organizations', {
    schema: {
      summary: 'Create an organization (the caller becomes its admin)', tags,
      body: object({ name: SLUG, display_name: { type: 'string', minLength: 1, maxLength: 200 } }, ['name', 'display_name']),
      response: responses({ 201: ORGANIZATION }),
    },
  }, async (req, reply) => {
    const org = await createOrganization(services, requireCaller(req), req.body.name, req.body.display_name);
    return reply.status(201).send(organizationJson(org));
  });

  api.get('/organizations', {
    schema: { summary: "The caller's organizations (complete)", tags, querystring: NO_QUERY, response: responses({ 200: resultsOf(ORGANIZATION) }) },
  }, async (req) => ({ results: (await callerOrganizations(services, requireCaller(req))).map(organizationJson) }));

  api.get<{ Params: { org: string } }>('/organizations/:org', {
    schema: { summary: 'An organization', tags, params: ORG_PARAMS, querystring: NO_QUERY, response: responses({ 200: ORGANIZATION }) },
  }, async (req) => organizationJson(await visibleOrganization(services, requireCaller(req), req.params.org)));

  api.delete<{ Params: { org: string } }>('/organizations/:org', {
    schema: { summary: 'Delete an organization (needs AdminOrganization)', tags, params: ORG_PARAMS, querystring: NO_QUERY, response: responses({ 204: EMPTY }) },
  }, async (req, reply) => {
    await deleteOrganization(services, requireCaller(req), req.params.org);
    return reply.status(204).send();
  });

  api.get<{ Params: { org: string } }>('/organizations/:org/members', {
    schema: { summary: 'Members of an organization (complete)', tags, params: ORG_PARAMS, querystring: NO_QUERY, response: responses({ 200: resultsOf(MEMBERSHIP) }) },
  }, async (req) => {
    const { org, members } = await listMembers(services, requireCaller(req), req.params.org);
    return {
      results: members.map((m) => ({
        organization_id: org.id, user_id: m.userId, username: m.username, full_name: m.fullName, email: m.email, joined_at: m.joinedAt.toISOString(),
      })),
    };
  });

  api.post<{ Params: { org: string }; Body: { username: string } }>('/organizations/:org/members', {
    schema: {
      summary: 'Add a user by username (needs AdminOrganization)', tags, params: ORG_PARAMS,
      body: object({ username: { type: 'string', minLength: 1, maxLength: 200 } }, ['username']),
      response: responses({ 201: object({ username: { type: 'string' } }) }),
    },
  }, async (req, reply) => {
    await addMember(services, requireCaller(req), req.params.org, req.body.username);
    return reply.status(201).send({ username: req.body.username });
  });

  api.delete<{ Params: { org: string; userId: string } }>('/organizations/:org/members/:userId', {
    schema: {
      summary: 'Remove a member (needs AdminOrganization)', tags, params: params({ org: NAME_PARAM, userId: UUID }), querystring: NO_QUERY,
      response: responses({ 204: EMPTY }),
    },
  }, async (req, reply) => {
    await removeMember(services, requireCaller(req), req.params.org, req.params.userId);
    return reply.status(204).send();
  });
}
