// History: R/commits/{id}, R/commits/{id}/revert, R/log, R/diff.
import type { FastifyInstance } from 'fastify';
import { history, revertCommit, type Repository } from '../../catalog/index.js';
import { diff } from '../../core/diff.js';
import { resolveRepository } from '../../core/repositories.js';
import { readableSession } from '../../core/sessions.js';
import type { ApiDeps } from '../index.js';
import { requireCaller } from '../auth.js';
import { ApiError } from '../errors.js';
import { pageParams, type PageQuery } from '../pagination.js';
import { commitJson, entryJson, paginated } from '../representations.js';
import {
  COMMIT_REF, NAME_PARAM, NO_QUERY, object, OBJECT_PATH, PAGE_QUERY, paginatedOf, params, REPO_PARAMS, responses, STRING_MAP, UUID,
} from '../schemas/common.js';
import { COMMIT_ID_RESULT, COMMIT_LOG, LISTING_ENTRY } from '../schemas/entities.js';

const R = '/organizations/:org/repositories/:repo';
type RepoParams = { org: string; repo: string };
const COMMIT_PARAMS = params({ org: NAME_PARAM, repo: NAME_PARAM, id: COMMIT_REF });
const tags = ['commits'];
interface DiffQuery extends PageQuery { left?: string; right?: string; session_id?: string; prefix?: string; delimiter?: string }

export function commitRoutes(api: FastifyInstance, { services }: ApiDeps): void {
  api.get<{ Params: RepoParams & { id: string } }>(`${R}/commits/:id`, {
    schema: { summary: 'A commit, by id or a unique prefix of 8+ hex digits', tags, params: COMMIT_PARAMS, querystring: NO_QUERY, response: responses({ 200: COMMIT_LOG }) },
  }, async (req) => {
    const { repo } = await resolveRepository(services, req.caller, req.params.org, req.params.repo, 'GetObject');
    return commitJson(await history.resolveCommit(services.db, repo.id, req.params.id));
  });

  api.post<{ Params: RepoParams & { id: string }; Body: { message?: string; metadata?: Record<string, string> } | undefined }>(`${R}/commits/:id/revert`, {
    schema: {
      summary: "A new commit that undoes this one's changes (400 for the root commit, 409 if a later commit touched them)", tags,
      params: COMMIT_PARAMS, querystring: NO_QUERY,
      body: { ...object({ message: { type: 'string', minLength: 1, maxLength: 100_000 }, metadata: STRING_MAP }), type: ['object', 'null'] },
      response: responses({ 201: COMMIT_ID_RESULT }),
    },
  }, async (req, reply) => {
    const caller = requireCaller(req);
    const { repo } = await resolveRepository(services, caller, req.params.org, req.params.repo, 'RevertCommit');
    const target = await history.resolveCommit(services.db, repo.id, req.params.id);
    const commit = await revertCommit(services.db, repo.id, target.seq, {
      committer: caller.actor,
      ...(req.body?.message ? { message: req.body.message } : {}),
      ...(req.body?.metadata ? { metadata: req.body.metadata } : {}),
    });
    return reply.status(201).send({ commit_id: commit.id });
  });

  api.get<{ Params: RepoParams; Querystring: PageQuery & { ref?: string; prefix?: string; object?: string } }>(`${R}/log`, {
    schema: {
      summary: 'Commits newest first, from ref (default the latest), optionally only those touching a prefix or one object', tags,
      params: REPO_PARAMS, querystring: object({ ...PAGE_QUERY, ref: COMMIT_REF, prefix: { type: 'string' }, object: OBJECT_PATH }),
      response: responses({ 200: paginatedOf(COMMIT_LOG) }),
    },
  }, async (req) => {
    const { repo } = await resolveRepository(services, req.caller, req.params.org, req.params.repo, 'ListObjects');
    const { after, limit } = pageParams(req.query);
    const q = req.query;
    const from = q.ref ? (await history.resolveCommit(services.db, repo.id, q.ref)).seq : undefined;
    const page = await history.log(services.db, repo.id, {
      limit, after, ...(from !== undefined ? { fromSeq: from } : {}), ...(q.prefix ? { prefix: q.prefix } : {}), ...(q.object ? { path: q.object } : {}),
    });
    return paginated(page.items.map(commitJson), page, limit);
  });

  api.get<{ Params: RepoParams; Querystring: DiffQuery }>(`${R}/diff`, {
    schema: {
      summary: 'Changes from left to right (a missing left is the empty tree), or of a session; entry is the right side, the left for removed', tags,
      params: REPO_PARAMS,
      querystring: object({
        ...PAGE_QUERY, left: COMMIT_REF, right: COMMIT_REF, session_id: UUID, prefix: { type: 'string' }, delimiter: { type: 'string', minLength: 1, maxLength: 16 },
      }),
      response: responses({ 200: paginatedOf(LISTING_ENTRY) }),
    },
  }, async (req) => {
    const { repo } = await resolveRepository(services, req.caller, req.params.org, req.params.repo, 'ListObjects');
    const q = req.query;
    const { after, limit } = pageParams(q, 1000);
    const page = await diff(services, repo, {
      between: await sides(repo, q),
      after, limit, ...(q.prefix ? { prefix: q.prefix } : {}), ...(q.delimiter ? { delimiter: q.delimiter } : {}),
    });
    const results = page.items.map((d) => (d.type === 'prefix'
      ? { path: d.path, type: 'prefix' }
      : { path: d.path, type: 'object', status: d.status, entry: entryJson(d.entry) }));
    return paginated(results, page, limit);
  });

  async function sides(repo: Repository, q: DiffQuery) {
    if (q.session_id) {
      if (q.left || q.right) throw new ApiError(400, 'BAD_REQUEST', 'give session_id, or left and right, not both');
      return { session: await readableSession(services, repo, q.session_id) };
    }
    if (!q.right) throw new ApiError(400, 'BAD_REQUEST', 'right is required unless session_id is given');
    const right = await history.resolveCommit(services.db, repo.id, q.right);
    // A missing left is the empty tree (the SDK omits it for a root commit): sequence 0 is empty.
    const left = q.left ? (await history.resolveCommit(services.db, repo.id, q.left)).seq : 0;
    return { left, right: right.seq };
  }
}
