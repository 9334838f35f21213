// Multipart uploads over REST (API-CONTRACT §3.4): initiate → part upload URLs → complete or
// abort. Parts go to Trove's self-authorizing upload URLs; completing assembles by reference.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { uploads, sessions as catalogSessions } from '../../catalog/index.js';
import { assembleUpload, MAX_PARTS } from '../../core/multipart.js';
import { applyChanges } from '../../core/objects.js';
import { resolveRepository } from '../../core/repositories.js';
import { ownedSession } from '../../core/sessions.js';
import { issueUploadToken, verifyUploadToken } from '../../core/upload-tokens.js';
import type { ApiDeps } from '../index.js';
import { requireCaller } from '../auth.js';
import { ApiError } from '../errors.js';
import { EMPTY, NO_BODY, object, OBJECT_PATH, REPO_PARAMS, responses, STRING_MAP, UUID } from '../schemas/common.js';
import { uploadUrl } from './http-helpers.js';

const R = '/organizations/:org/repositories/:repo';
type RepoParams = { org: string; repo: string };
interface Q { session_id: string; path: string; upload_id?: string; upload_token?: string; part_number?: number }
const TARGET = { session_id: UUID, path: OBJECT_PATH };
const UPLOAD_ID = { type: 'string', minLength: 1, maxLength: 128 };
const UPLOAD = { upload_id: UPLOAD_ID, upload_token: { type: 'string', minLength: 1 } };
const tags = ['objects'];
const PARTS = {
  type: 'array', minItems: 1, maxItems: MAX_PARTS,
  items: object({ part_number: { type: 'integer', minimum: 1, maximum: MAX_PARTS }, etag: { type: 'string', minLength: 1 } }, ['part_number', 'etag']),
};

export function multipartRoutes(api: FastifyInstance, { services, publicUrl }: ApiDeps): void {
  async function target(req: FastifyRequest<{ Params: RepoParams; Querystring: Q }>) {
    const caller = requireCaller(req);
    const { repo, decision } = await resolveRepository(services, caller, req.params.org, req.params.repo, 'PutObject', req.query.path);
    const session = await ownedSession(services, caller, repo, req.query.session_id);
    if (decision.requiresApproval) await catalogSessions.setNeedsApproval(services.db, session.id);
    return { caller, repo, session };
  }

  /** The open upload a request names, checked against its token. */
  async function upload(req: FastifyRequest<{ Params: RepoParams; Querystring: Q }>, repoId: string, sessionId: string, id?: string, token?: string) {
    const claim = token ? verifyUploadToken(services, token) : null;
    if (!id || !claim || claim.uploadId !== id) throw new ApiError(400, 'BAD_REQUEST', 'upload_id and a valid upload_token are required');
    const found = await uploads.getOpenUpload(services.db, repoId, req.query.path, id);
    if (found.sessionId !== sessionId) throw new ApiError(400, 'BAD_REQUEST', 'the upload belongs to another session');
    return found;
  }

  api.post<{ Params: RepoParams; Querystring: Q }>(`${R}/object/multipart`, {
    schema: {
      summary: 'Start a multipart upload (no body)', tags, params: REPO_PARAMS, querystring: object(TARGET, ['session_id', 'path']), body: NO_BODY,
      response: responses({ 200: object({ upload_id: { type: 'string' }, upload_token: { type: 'string' } }, ['upload_id', 'upload_token']) }),
    },
  }, async (req) => {
    const { caller, repo, session } = await target(req);
    const created = await uploads.createUpload(services.db, {
      repoId: repo.id, sessionId: session.id, path: req.query.path, contentType: null, userMetadata: {}, httpHeaders: {},
      checksumAlgorithm: null, plannedAddress: null, ownerId: caller.principal.id,
    });
    return { upload_id: created.id, upload_token: issueUploadToken(services, created.id) };
  });

  api.get<{ Params: RepoParams; Querystring: Q }>(`${R}/object/multipart/part`, {
    schema: {
      summary: 'The upload URL of one part (PUT it with no Authorization; keep the ETag)', tags, params: REPO_PARAMS,
      querystring: object({ ...TARGET, ...UPLOAD, part_number: { type: 'integer', minimum: 1, maximum: MAX_PARTS } }, ['session_id', 'path', 'upload_id', 'upload_token', 'part_number']),
      response: responses({ 200: object({ upload_url: { type: 'string', format: 'uri' } }, ['upload_url']) }),
    },
  }, async (req) => {
    const { repo, session } = await target(req);
    const found = await upload(req, repo.id, session.id, req.query.upload_id, req.query.upload_token);
    return { upload_url: uploadUrl(req, publicUrl, issueUploadToken(services, found.id, req.query.part_number!)) };
  });

  api.post<{ Params: RepoParams; Querystring: Q; Body: { upload_id: string; upload_token: string; parts: Array<{ part_number: number; etag: string }>; content_type?: string; size_bytes?: number; metadata?: Record<string, string> } }>(`${R}/object/multipart/complete`, {
    schema: {
      summary: 'Assemble the parts (by reference: no byte is copied) and stage the object', tags, params: REPO_PARAMS,
      querystring: object(TARGET, ['session_id', 'path']),
      body: object({
        ...UPLOAD, parts: PARTS, checksum: { type: 'string' }, content_type: { type: 'string', maxLength: 1024 }, size_bytes: { type: 'integer', minimum: 0 }, metadata: STRING_MAP,
      }, ['upload_id', 'upload_token', 'parts']),
      response: responses({ 201: object({ path: { type: 'string' }, etag: { type: 'string' } }, ['path']) }),
    },
  }, async (req, reply) => {
    const { caller, repo, session } = await target(req);
    const b = req.body;
    const found = await upload(req, repo.id, session.id, b.upload_id, b.upload_token);
    const assembled = await assembleUpload(services, found, b.parts.map((p) => ({ partNumber: p.part_number, etag: p.etag })), {
      contentType: b.content_type ?? 'application/octet-stream', userMetadata: b.metadata ?? {},
    });
    if (b.size_bytes !== undefined && b.size_bytes !== assembled.object.size) {
      throw new ApiError(400, 'BAD_REQUEST', `size mismatch: expected ${b.size_bytes} bytes, the parts hold ${assembled.object.size}`);
    }
    await applyChanges(services, { repo, seq: 'head', session }, caller.actor, [{ path: req.query.path, object: assembled.object }], `Put ${req.query.path}`, { inTx: assembled.complete });
    return reply.status(201).send({ path: req.query.path, etag: assembled.object.etag });
  });

  api.delete<{ Params: RepoParams; Querystring: Q }>(`${R}/object/multipart`, {
    schema: {
      summary: 'Abort a multipart upload', tags, params: REPO_PARAMS, querystring: object({ ...TARGET, ...UPLOAD }, ['session_id', 'path', 'upload_id', 'upload_token']),
      response: responses({ 204: EMPTY }),
    },
  }, async (req, reply) => {
    const { repo, session } = await target(req);
    const found = await upload(req, repo.id, session.id, req.query.upload_id, req.query.upload_token);
    await uploads.abortUpload(services.db, repo.id, req.query.path, found.id);
    return reply.status(204).send();
  });
}
