// Sessions and approval: R/sessions, R/sessions/{sid}, R/sessions/{sid}/approve, R/changes,
// and R/sessions/{sid}/s3-credentials (session-bound S3 credentials for unchanged tools).
import type { FastifyInstance } from 'fastify';
import { sessions } from '../../catalog/index.js';
import { resolveRepository } from '../../core/repositories.js';
import {
  approveSession, commitOwnSession, mintSessionCredentials, openSession, ownedSession, readableSession, rollbackSession,
} from '../../core/sessions.js';
import type { ApiDeps } from '../index.js';
import { requireCaller } from '../auth.js';
import { pageParams, pageQuerySchema, type PageQuery } from '../pagination.js';
import { entryJson, paginated } from '../representations.js';

const R = '/organizations/:org/repositories/:repo';
type RepoParams = { org: string; repo: string };
type SessionParams = RepoParams & { sid: string };
interface CommitBody { message: string; metadata?: Record<string, string> }
const commitBodySchema = {
  type: 'object',
  required: ['message'],
  properties: { message: { type: 'string', minLength: 1 }, metadata: { type: 'object', additionalProperties: { type: 'string' } } },
} as const;
const uuidParams = {
  type: 'object',
  properties: { sid: { type: 'string', format: 'uuid' } },
} as const;

export function sessionRoutes(api: FastifyInstance, { services }: ApiDeps): void {
  api.post<{ Params: RepoParams }>(`${R}/sessions`, async (req, reply) => {
    const caller = requireCaller(req);
    const { repo } = await resolveRepository(services, caller, req.params.org, req.params.repo, 'CreateSession');
    const session = await openSession(services, caller, repo);
    return reply.status(201).send({ session_id: session.id });
  });

  api.post<{ Params: SessionParams; Body: CommitBody }>(`${R}/sessions/:sid`, {
    schema: { params: uuidParams, body: commitBodySchema },
  }, async (req, reply) => {
    const caller = requireCaller(req);
    const { repo } = await resolveRepository(services, caller, req.params.org, req.params.repo, 'CommitSession');
    const outcome = await commitOwnSession(services, caller, repo, req.params.sid, req.body.message, req.body.metadata);
    if (outcome.kind === 'committed') return { commit_id: outcome.commit.id };
    const apiUrl = `/api/v1/organizations/${req.params.org}/repositories/${req.params.repo}/sessions/${req.params.sid}/approve`;
    return reply.status(202).send({
      approval_required: true,
      session_id: req.params.sid,
      message: 'this session needs approval by a reviewer before it is committed',
      api_url: apiUrl,
      web_url: apiUrl,
    });
  });

  api.delete<{ Params: SessionParams }>(`${R}/sessions/:sid`, { schema: { params: uuidParams } }, async (req, reply) => {
    const caller = requireCaller(req);
    const { repo } = await resolveRepository(services, caller, req.params.org, req.params.repo, 'CommitSession');
    await rollbackSession(services, caller, repo, req.params.sid);
    return reply.status(204).send();
  });

  api.head<{ Params: SessionParams }>(`${R}/sessions/:sid/approve`, { schema: { params: uuidParams } }, async (req, reply) => {
    const caller = requireCaller(req);
    const { repo } = await resolveRepository(services, caller, req.params.org, req.params.repo, 'GetRepository');
    const session = await sessions.getSession(services.db, req.params.sid).catch(() => null);
    const pending = session?.repoId === repo.id && session.status === 'pending_approval';
    return reply.status(pending ? 200 : 404).send();
  });

  api.get<{ Params: SessionParams; Querystring: PageQuery & { prefix?: string } }>(`${R}/sessions/:sid/approve`, {
    schema: { params: uuidParams, querystring: { type: 'object', properties: { ...pageQuerySchema, prefix: { type: 'string' } } } },
  }, async (req) => {
    const caller = requireCaller(req);
    const { repo } = await resolveRepository(services, caller, req.params.org, req.params.repo, 'ApproveSessionChanges');
    const session = await readableSession(services, repo, req.params.sid);
    return listChanges(session.id, req.query);
  });

  api.post<{ Params: SessionParams; Body: CommitBody }>(`${R}/sessions/:sid/approve`, {
    schema: { params: uuidParams, body: commitBodySchema },
  }, async (req) => {
    const caller = requireCaller(req);
    const { repo } = await resolveRepository(services, caller, req.params.org, req.params.repo, 'ApproveSessionChanges');
    const commit = await approveSession(services, caller, repo, req.params.sid, req.body.message, req.body.metadata);
    return { commit_id: commit.id };
  });

  api.get<{ Params: RepoParams; Querystring: PageQuery & { session_id: string; prefix?: string } }>(`${R}/changes`, {
    schema: {
      querystring: {
        type: 'object', required: ['session_id'],
        properties: { ...pageQuerySchema, prefix: { type: 'string' }, session_id: { type: 'string', format: 'uuid' } },
      },
    },
  }, async (req) => {
    const caller = requireCaller(req);
    const { repo } = await resolveRepository(services, caller, req.params.org, req.params.repo, 'ListObjects');
    const session = await readableSession(services, repo, req.query.session_id);
    return listChanges(session.id, req.query);
  });

  api.post<{ Params: SessionParams }>(`${R}/sessions/:sid/s3-credentials`, { schema: { params: uuidParams } }, async (req, reply) => {
    const caller = requireCaller(req);
    const { repo } = await resolveRepository(services, caller, req.params.org, req.params.repo, 'PutObject');
    const session = await ownedSession(services, caller, repo, req.params.sid);
    const credentials = await mintSessionCredentials(services, caller, session);
    return reply.status(201).send({
      access_key_id: credentials.accessKeyId,
      secret_access_key: credentials.secretAccessKey,
      expires_at: credentials.expiresAt.toISOString(),
      bucket: repo.name,
    });
  });

  async function listChanges(sessionId: string, query: PageQuery & { prefix?: string }) {
    const { after, limit } = pageParams(query);
    const page = await sessions.listChanges(services.db, sessionId, { after, limit, ...(query.prefix ? { prefix: query.prefix } : {}) });
    const results = page.items.map((c) => ({
      path: c.path,
      ...(c.object ? { entry: entryJson({ ...c.object, path: c.path, lastModified: c.stagedAt, fromSeq: 0, toSeq: null, staged: true }) } : {}),
    }));
    return paginated(results, page, limit);
  }
}
