// Sessions and approval: R/sessions, R/sessions/{sid}, R/sessions/{sid}/approve, R/changes,
// and R/sessions/{sid}/s3-credentials (session-bound S3 credentials for unchanged tools).
import type { FastifyInstance } from 'fastify';
import { sessions } from '../../catalog/index.js';
import { resolveRepository } from '../../core/repositories.js';
import {
  approveSession, commitOwnSession, isPendingApproval, mintSessionCredentials, openSession, ownedSession, readableSession, rollbackSession,
} from '../../core/sessions.js';
import type { ApiDeps } from '../index.js';
import { requireCaller } from '../auth.js';
import { pageParams, type PageQuery } from '../pagination.js';
import { entryJson, paginated } from '../representations.js';
import {
  EMPTY, NAME_PARAM, NO_BODY, NO_QUERY, object, PAGE_QUERY, paginatedOf, params, REPO_PARAMS, responses, STRING_MAP, TIMESTAMP, UUID,
} from '../schemas/common.js';
import { APPROVAL_REQUIRED, COMMIT_ID_RESULT, ENTRY_RECORD } from '../schemas/entities.js';

const R = '/organizations/:org/repositories/:repo';
type RepoParams = { org: string; repo: string };
type SessionParams = RepoParams & { sid: string };
interface CommitBody { message: string; metadata?: Record<string, string> }
const COMMIT_BODY = object({ message: { type: 'string', minLength: 1, maxLength: 100_000 }, metadata: STRING_MAP }, ['message']);
const SESSION_PARAMS = params({ org: NAME_PARAM, repo: NAME_PARAM, sid: UUID });
const CHANGES_QUERY = { ...PAGE_QUERY, prefix: { type: 'string' } };
const tags = ['sessions'];

export function sessionRoutes(api: FastifyInstance, { services }: ApiDeps): void {
  api.post<{ Params: RepoParams }>(`${R}/sessions`, {
    schema: {
      summary: 'Open a session on the latest commit (no body)', tags, params: REPO_PARAMS, querystring: NO_QUERY, body: NO_BODY,
      response: responses({ 201: object({ session_id: UUID }, ['session_id']) }),
    },
  }, async (req, reply) => {
    const caller = requireCaller(req);
    const { repo } = await resolveRepository(services, caller, req.params.org, req.params.repo, 'CreateSession');
    const session = await openSession(services, caller, repo);
    return reply.status(201).send({ session_id: session.id });
  });

  api.post<{ Params: SessionParams; Body: CommitBody }>(`${R}/sessions/:sid`, {
    schema: {
      summary: 'Commit a session: 200 committed, 202 approval required, 409 conflict', tags, params: SESSION_PARAMS, querystring: NO_QUERY,
      body: COMMIT_BODY, response: responses({ 200: COMMIT_ID_RESULT, 202: APPROVAL_REQUIRED }),
    },
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

  api.delete<{ Params: SessionParams }>(`${R}/sessions/:sid`, {
    schema: { summary: 'Roll a session back (its owner, or a reviewer of a pending one)', tags, params: SESSION_PARAMS, querystring: NO_QUERY, response: responses({ 204: EMPTY }) },
  }, async (req, reply) => {
    const caller = requireCaller(req);
    const { repo } = await resolveRepository(services, caller, req.params.org, req.params.repo, 'CommitSession');
    await rollbackSession(services, caller, repo, req.params.sid);
    return reply.status(204).send();
  });

  api.head<{ Params: SessionParams }>(`${R}/sessions/:sid/approve`, {
    schema: { summary: 'Poll an approval: 200 while pending, 404 once committed or rolled back', tags, params: SESSION_PARAMS, querystring: NO_QUERY, response: responses({ 200: EMPTY }) },
  }, async (req, reply) => {
    const pending = await isPendingApproval(services, requireCaller(req), req.params.org, req.params.repo, req.params.sid);
    return reply.status(pending ? 200 : 404).send();
  });

  api.get<{ Params: SessionParams; Querystring: PageQuery & { prefix?: string } }>(`${R}/sessions/:sid/approve`, {
    schema: {
      summary: 'The changes a session would commit, for its reviewer (needs ApproveSessionChanges)', tags, params: SESSION_PARAMS,
      querystring: object(CHANGES_QUERY), response: responses({ 200: paginatedOf(ENTRY_RECORD) }),
    },
  }, async (req) => {
    const caller = requireCaller(req);
    const { repo } = await resolveRepository(services, caller, req.params.org, req.params.repo, 'ApproveSessionChanges');
    const session = await readableSession(services, repo, req.params.sid);
    return listChanges(session.id, req.query);
  });

  api.post<{ Params: SessionParams; Body: CommitBody }>(`${R}/sessions/:sid/approve`, {
    schema: {
      summary: "Approve and commit someone else's pending session (needs ApproveSessionChanges)", tags, params: SESSION_PARAMS, querystring: NO_QUERY,
      body: COMMIT_BODY, response: responses({ 200: COMMIT_ID_RESULT }),
    },
  }, async (req) => {
    const caller = requireCaller(req);
    const { repo } = await resolveRepository(services, caller, req.params.org, req.params.repo, 'ApproveSessionChanges');
    const commit = await approveSession(services, caller, repo, req.params.sid, req.body.message, req.body.metadata);
    return { commit_id: commit.id };
  });

  api.get<{ Params: RepoParams; Querystring: PageQuery & { session_id: string; prefix?: string } }>(`${R}/changes`, {
    schema: {
      summary: "A session's staged changes (a staged delete has no entry)", tags, params: REPO_PARAMS,
      querystring: object({ ...CHANGES_QUERY, session_id: UUID }, ['session_id']), response: responses({ 200: paginatedOf(ENTRY_RECORD) }),
    },
  }, async (req) => {
    const caller = requireCaller(req);
    const { repo } = await resolveRepository(services, caller, req.params.org, req.params.repo, 'ListObjects');
    const session = await readableSession(services, repo, req.query.session_id);
    return listChanges(session.id, req.query);
  });

  api.post<{ Params: SessionParams }>(`${R}/sessions/:sid/s3-credentials`, {
    schema: {
      summary: 'Mint S3 credentials bound to the session (its reads see it, its writes are staged in it)', tags,
      params: SESSION_PARAMS, querystring: NO_QUERY, body: NO_BODY,
      response: responses({
        201: object({ access_key_id: { type: 'string' }, secret_access_key: { type: 'string' }, expires_at: TIMESTAMP, bucket: { type: 'string' } },
          ['access_key_id', 'secret_access_key', 'expires_at', 'bucket']),
      }),
    },
  }, async (req, reply) => {
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
