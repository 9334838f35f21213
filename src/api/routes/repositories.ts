// Repositories: /organizations/{org}/repositories[/{repo}] and /repositories.
import type { FastifyInstance } from 'fastify';
import { repositories, type Organization } from '../../catalog/index.js';
import { ForbiddenError } from '../../errors.js';
import { authorize } from '../../core/authorize.js';
import { callerOrganizations, visibleOrganization } from '../../core/caller.js';
import { createRepository, deleteRepository, resolveRepository, updateRepository } from '../../core/repositories.js';
import type { ApiDeps } from '../index.js';
import { requireCaller } from '../auth.js';
import { pageParams, type PageQuery } from '../pagination.js';
import { paginated, repositoryJson } from '../representations.js';
import { EMPTY, NO_QUERY, object, ORG_PARAMS, PAGE_QUERY, paginatedOf, REPO_NAME, REPO_PARAMS, responses, resultsOf } from '../schemas/common.js';
import { REPOSITORY, REPOSITORY_WITH_ORG } from '../schemas/entities.js';

const tags = ['repositories'];
type OrgParams = { org: string };
type RepoParams = { org: string; repo: string };
interface RepoBody {
  name?: string;
  description?: string;
  visibility?: 'public' | 'private';
  retention_days?: number;
  session_max_duration_days?: number | null;
}
const repoBodyProperties = {
  description: { type: 'string', maxLength: 10_000 },
  visibility: { type: 'string', enum: ['public', 'private'] },
  retention_days: { type: 'integer', minimum: 1 },
  session_max_duration_days: { type: ['integer', 'null'], minimum: 1 },
} as const;
const UPDATE_SCHEMA = {
  summary: 'Change the given fields only (needs UpdateRepository)', tags, params: REPO_PARAMS,
  body: { ...object(repoBodyProperties), type: ['object', 'null'] }, response: responses({ 200: REPOSITORY }),
};

export function repositoryRoutes(api: FastifyInstance, { services }: ApiDeps): void {
  api.post<{ Params: OrgParams; Body: RepoBody }>('/organizations/:org/repositories', {
    schema: {
      summary: 'Create a repository with its empty root commit (needs CreateRepository)', tags, params: ORG_PARAMS,
      body: object({ name: REPO_NAME, ...repoBodyProperties }, ['name']), response: responses({ 201: REPOSITORY }),
    },
  }, async (req, reply) => {
    const caller = requireCaller(req);
    const org = await visibleOrganization(services, caller, req.params.org);
    const b = req.body;
    const repo = await createRepository(services, caller, org, {
      name: b.name!,
      ...(b.description !== undefined && { description: b.description }),
      ...(b.visibility !== undefined && { visibility: b.visibility }),
      ...(b.retention_days !== undefined && { retentionDays: b.retention_days }),
      ...(b.session_max_duration_days !== undefined && { sessionMaxDurationDays: b.session_max_duration_days }),
    });
    return reply.status(201).send(repositoryJson(repo));
  });

  api.get<{ Params: OrgParams; Querystring: PageQuery }>('/organizations/:org/repositories', {
    schema: {
      summary: 'Repositories of an organization, by name (needs ListRepositories)', tags, params: ORG_PARAMS,
      querystring: object(PAGE_QUERY), response: responses({ 200: paginatedOf(REPOSITORY) }),
    },
  }, async (req) => {
    const caller = requireCaller(req);
    const org = await visibleOrganization(services, caller, req.params.org);
    await authorize(services, caller, 'ListRepositories', { org });
    const { after, limit } = pageParams(req.query);
    const page = await repositories.listRepositories(services.db, org.id, { after, limit });
    return paginated(page.items.map(repositoryJson), page, limit);
  });

  api.get<{ Params: RepoParams }>('/organizations/:org/repositories/:repo', {
    schema: { summary: 'A repository (410 once deleted)', tags, params: REPO_PARAMS, querystring: NO_QUERY, response: responses({ 200: REPOSITORY }) },
  }, async (req) => {
    const { repo } = await resolveRepository(services, req.caller, req.params.org, req.params.repo, 'GetRepository');
    return repositoryJson(repo);
  });

  api.put<{ Params: RepoParams; Body: RepoBody | undefined }>('/organizations/:org/repositories/:repo', { schema: UPDATE_SCHEMA }, async (req) => {
    const b = req.body ?? {};
    const repo = await updateRepository(services, requireCaller(req), req.params.org, req.params.repo, {
      ...(b.description !== undefined && { description: b.description }),
      ...(b.visibility !== undefined && { visibility: b.visibility }),
      ...(b.retention_days !== undefined && { retentionDays: b.retention_days }),
      ...(b.session_max_duration_days !== undefined && { sessionMaxDurationDays: b.session_max_duration_days }),
    });
    return repositoryJson(repo);
  });

  api.delete<{ Params: RepoParams }>('/organizations/:org/repositories/:repo', {
    schema: { summary: 'Soft-delete a repository (needs DeleteRepository)', tags, params: REPO_PARAMS, querystring: NO_QUERY, response: responses({ 204: EMPTY }) },
  }, async (req, reply) => {
    await deleteRepository(services, requireCaller(req), req.params.org, req.params.repo);
    return reply.status(204).send();
  });

  api.get('/repositories', {
    schema: { summary: "Repositories across the caller's organizations (complete)", tags, querystring: NO_QUERY, response: responses({ 200: resultsOf(REPOSITORY_WITH_ORG) }) },
  }, async (req) => {
    const caller = requireCaller(req);
    const results = [];
    for (const org of await callerOrganizations(services, caller)) {
      // The same rule as listing one organization's repositories.
      if (!(await mayList(org))) continue;
      let after: string | null = null;
      do {
        const page = await repositories.listRepositories(services.db, org.id, { after, limit: 1000 });
        results.push(...page.items.map((r) => ({
          id: r.id, name: r.name, description: r.description, visibility: r.visibility,
          created_at: r.createdAt.toISOString(), organization_slug: org.name, organization_display_name: org.displayName,
        })));
        after = page.next;
      } while (after);
    }
    return { results };

    async function mayList(org: Organization): Promise<boolean> {
      return authorize(services, caller, 'ListRepositories', { org }).then(() => true, (err: unknown) => {
        if (err instanceof ForbiddenError) return false;
        throw err;
      });
    }
  });
}
