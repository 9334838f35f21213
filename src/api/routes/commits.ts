// History: R/commits/{id}, R/commits/{id}/revert, R/log, R/diff.
import type { FastifyInstance } from 'fastify';
import { diffs, history, revertCommit } from '../../catalog/index.js';
import { resolveRepository } from '../../core/repositories.js';
import { readableSession } from '../../core/sessions.js';
import type { ApiDeps } from '../index.js';
import { requireCaller } from '../auth.js';
import { pageParams, pageQuerySchema, type PageQuery } from '../pagination.js';
import { commitJson, entryJson, paginated } from '../representations.js';

const R = '/organizations/:org/repositories/:repo';
type RepoParams = { org: string; repo: string };

export function commitRoutes(api: FastifyInstance, { services }: ApiDeps): void {
  api.get<{ Params: RepoParams & { id: string } }>(`${R}/commits/:id`, async (req) => {
    const { repo } = await resolveRepository(services, req.caller, req.params.org, req.params.repo, 'GetObject');
    return commitJson(await history.resolveCommit(services.db, repo.id, req.params.id));
  });

  api.post<{ Params: RepoParams & { id: string }; Body: { message?: string; metadata?: Record<string, string> } | undefined }>(`${R}/commits/:id/revert`, {
    schema: { body: { type: ['object', 'null'], properties: { message: { type: 'string' }, metadata: { type: 'object', additionalProperties: { type: 'string' } } } } },
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
    schema: { querystring: { type: 'object', properties: { ...pageQuerySchema, ref: { type: 'string' }, prefix: { type: 'string' }, object: { type: 'string' } } } },
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

  api.get<{ Params: RepoParams; Querystring: PageQuery & { left?: string; right?: string; session_id?: string; prefix?: string } }>(`${R}/diff`, {
    schema: {
      querystring: {
        type: 'object',
        properties: { ...pageQuerySchema, left: { type: 'string' }, right: { type: 'string' }, session_id: { type: 'string', format: 'uuid' }, prefix: { type: 'string' } },
      },
    },
  }, async (req) => {
    const { repo } = await resolveRepository(services, req.caller, req.params.org, req.params.repo, 'ListObjects');
    const q = req.query;
    const { after, limit } = pageParams(q, 1000);
    const opts = { after, limit, ...(q.prefix ? { prefix: q.prefix } : {}) };
    let page;
    if (q.session_id) {
      const session = await readableSession(services, repo, q.session_id);
      page = await diffs.diffSession(services.db, repo.id, session.id, session.baseSeq, opts);
    } else {
      if (!q.right) throw Object.assign(new Error('right is required unless session_id is given'), { statusCode: 400 });
      const right = await history.resolveCommit(services.db, repo.id, q.right);
      // A missing left is the empty tree (the SDK omits it for a root commit): sequence 0 is empty.
      const left = q.left ? (await history.resolveCommit(services.db, repo.id, q.left)).seq : 0;
      page = await diffs.diffCommits(services.db, repo.id, left, right.seq, opts);
    }
    const results = page.items.map((d) => ({ path: d.path, type: 'object', status: d.status, entry: entryJson(d.entry) }));
    return paginated(results, page, limit);
  });
}
