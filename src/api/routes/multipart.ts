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
import { uploadUrl } from './http-helpers.js';

const R = '/organizations/:org/repositories/:repo';
type RepoParams = { org: string; repo: string };
interface Q { session_id: string; path: string; upload_id?: string; upload_token?: string; part_number?: number }
const QUERY = {
  type: 'object', required: ['session_id', 'path'],
  properties: {
    session_id: { type: 'string', format: 'uuid' }, path: { type: 'string', minLength: 1, maxLength: 1024 },
    upload_id: { type: 'string' }, upload_token: { type: 'string' }, part_number: { type: 'integer', minimum: 1, maximum: MAX_PARTS },
  },
} as const;

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

  api.post<{ Params: RepoParams; Querystring: Q }>(`${R}/object/multipart`, { schema: { querystring: QUERY } }, async (req) => {
    const { caller, repo, session } = await target(req);
    const created = await uploads.createUpload(services.db, {
      repoId: repo.id, sessionId: session.id, path: req.query.path, contentType: null, userMetadata: {}, httpHeaders: {},
      checksumAlgorithm: null, plannedAddress: null, ownerId: caller.principal.id,
    });
    return { upload_id: created.id, upload_token: issueUploadToken(services, created.id) };
  });

  api.get<{ Params: RepoParams; Querystring: Q }>(`${R}/object/multipart/part`, { schema: { querystring: { ...QUERY, required: ['session_id', 'path', 'upload_id', 'upload_token', 'part_number'] } } }, async (req) => {
    const { repo, session } = await target(req);
    const found = await upload(req, repo.id, session.id, req.query.upload_id, req.query.upload_token);
    return { upload_url: uploadUrl(req, publicUrl, issueUploadToken(services, found.id, req.query.part_number!)) };
  });

  api.post<{ Params: RepoParams; Querystring: Q; Body: { upload_id: string; upload_token: string; parts: Array<{ part_number: number; etag: string }>; content_type?: string; size_bytes?: number; metadata?: Record<string, string> } }>(`${R}/object/multipart/complete`, {
    schema: {
      querystring: QUERY,
      body: {
        type: 'object', required: ['upload_id', 'upload_token', 'parts'],
        properties: {
          upload_id: { type: 'string' }, upload_token: { type: 'string' }, content_type: { type: 'string' }, size_bytes: { type: 'integer', minimum: 0 },
          metadata: { type: 'object', additionalProperties: { type: 'string' } },
          parts: { type: 'array', minItems: 1, maxItems: MAX_PARTS, items: { type: 'object', required: ['part_number', 'etag'], properties: { part_number: { type: 'integer', minimum: 1 }, etag: { type: 'string' } } } },
        },
      },
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

  api.delete<{ Params: RepoParams; Querystring: Q }>(`${R}/object/multipart`, { schema: { querystring: QUERY } }, async (req, reply) => {
    const { repo, session } = await target(req);
    const found = await upload(req, repo.id, session.id, req.query.upload_id, req.query.upload_token);
    await uploads.abortUpload(services.db, repo.id, req.query.path, found.id);
    return reply.status(204).send();
  });
}
