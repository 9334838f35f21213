// Objects: R/object (GET, HEAD, PUT → upload URL, DELETE), R/object/finalize, R/object/copy,
// R/objects (list) and R/objects/delete. Reads take `session_id` or `ref` (default latest).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { history, type ObjectEntry, type Organization, type Repository } from '../../catalog/index.js';
import type { Caller } from '../../core/caller.js';
import { applyChanges, deleteObjects, getObject, listObjects, openObject, type Target } from '../../core/objects.js';
import { resolveRepository } from '../../core/repositories.js';
import { ownedSession, readableSession } from '../../core/sessions.js';
import { stagedStatuses } from '../../core/staged-status.js';
import { sessions as catalogSessions } from '../../catalog/index.js';
import { finalizeUpload, startUpload } from '../../core/uploads.js';
import { authorize, type Action } from '../../core/authorize.js';
import type { ApiDeps } from '../index.js';
import { requireCaller } from '../auth.js';
import { ApiError } from '../errors.js';
import { pageParams, type PageQuery } from '../pagination.js';
import { entryJson, paginated } from '../representations.js';
import {
  COMMIT_REF, EMPTY, NO_BODY, object, OBJECT_PATH, PAGE_QUERY, paginatedOf, REPO_PARAMS, responses, STRING_MAP, UUID,
} from '../schemas/common.js';
import { LISTING_ENTRY } from '../schemas/entities.js';
import { parseRange, uploadUrl } from './http-helpers.js';

const R = '/organizations/:org/repositories/:repo';
type RepoParams = { org: string; repo: string };
interface ReadQuery { path: string; session_id?: string; ref?: string }
interface WriteQuery { path: string; session_id: string }
const READ_QUERY = object({ path: OBJECT_PATH, session_id: UUID, ref: COMMIT_REF }, ['path']);
const WRITE_QUERY = object({ path: OBJECT_PATH, session_id: UUID }, ['path', 'session_id']);
const OBJECT_HEADERS = 'ETag, Content-Type, Content-Length, Last-Modified and X-Tilde-Meta-<key> for each metadata key';
const tags = ['objects'];

export function objectRoutes(api: FastifyInstance, { services, publicUrl }: ApiDeps): void {
  /** The repository and the view a read addresses, authorized for `action`. */
  async function readTarget(req: FastifyRequest<{ Params: RepoParams }>, q: { session_id?: string; ref?: string }, action: Action, path?: string): Promise<Target> {
    if (q.session_id && q.ref) throw new ApiError(400, 'BAD_REQUEST', 'session_id and ref are mutually exclusive');
    const { repo } = await resolveRepository(services, req.caller, req.params.org, req.params.repo, action, path);
    if (q.session_id) return { repo, seq: 'head', session: await readableSession(services, repo, q.session_id) };
    if (q.ref) return { repo, seq: (await history.resolveCommit(services.db, repo.id, q.ref)).seq, session: null };
    return { repo, seq: 'head', session: null };
  }

  /** The caller's own open session, for writes authorized for `action` at `path`. */
  async function writeTarget(
    req: FastifyRequest<{ Params: RepoParams }>,
    sessionId: string,
    action: Action,
    path: string,
  ): Promise<{ caller: Caller; org: Organization; repo: Repository; target: Target }> {
    const caller = requireCaller(req);
    const { org, repo, decision } = await resolveRepository(services, caller, req.params.org, req.params.repo, action, path);
    const session = await ownedSession(services, caller, repo, sessionId);
    if (decision.requiresApproval) await catalogSessions.setNeedsApproval(services.db, session.id);
    return { caller, org, repo, target: { repo, seq: 'head', session } };
  }

  api.get<{ Params: RepoParams; Querystring: ReadQuery }>(`${R}/object`, {
    schema: {
      summary: 'The object bytes (200, or 206 for a Range)', tags, params: REPO_PARAMS, querystring: READ_QUERY,
      headers: object({ range: { type: 'string', description: 'bytes=a-b, bytes=a- or bytes=-n' } }),
      response: responses({ 200: { type: 'string', format: 'binary', description: OBJECT_HEADERS } }),
    },
  }, async (req, reply) => {
    const target = await readTarget(req, req.query, 'GetObject', req.query.path);
    const entry = await getObject(services, target, req.query.path);
    const range = parseRange(req.headers.range, entry.size);
    objectHeaders(reply, entry);
    if (range) {
      reply.status(206).header('content-range', `bytes ${range.start}-${range.end}/${entry.size}`).header('content-length', range.end - range.start + 1);
    }
    return reply.send(await openObject(services, entry, range ?? undefined));
  });

  api.head<{ Params: RepoParams; Querystring: ReadQuery }>(`${R}/object`, {
    schema: { summary: "The object's headers, answered directly (no redirect)", tags, params: REPO_PARAMS, querystring: READ_QUERY, response: responses({ 200: { ...EMPTY, description: OBJECT_HEADERS } }) },
  }, async (req, reply) => {
    const target = await readTarget(req, req.query, 'GetObject', req.query.path);
    objectHeaders(reply, await getObject(services, target, req.query.path));
    return reply.send();
  });

  api.put<{ Params: RepoParams; Querystring: WriteQuery }>(`${R}/object`, {
    schema: {
      summary: 'Start an upload: PUT the bytes to upload_url (no Authorization), then finalize', tags, params: REPO_PARAMS, querystring: WRITE_QUERY, body: NO_BODY,
      response: responses({ 200: object({ upload_url: { type: 'string', format: 'uri' }, upload_token: { type: 'string' } }, ['upload_url', 'upload_token']) }),
    },
  }, async (req) => {
    const { caller, repo, target } = await writeTarget(req, req.query.session_id, 'PutObject', req.query.path);
    const started = await startUpload(services, caller, repo, target.session!, req.query.path);
    return { upload_url: started.presignedUrl ?? uploadUrl(req, publicUrl, started.token), upload_token: started.token };
  });

  api.post<{ Params: RepoParams; Querystring: WriteQuery; Body: { upload_token: string; checksum?: string; content_type?: string; size_bytes?: number; metadata?: Record<string, string> } }>(`${R}/object/finalize`, {
    schema: {
      summary: 'Stage an uploaded object after checking its size and checksum (the upload ETag)', tags, params: REPO_PARAMS, querystring: WRITE_QUERY,
      body: object({
        upload_token: { type: 'string', minLength: 1 }, checksum: { type: 'string' }, content_type: { type: 'string', maxLength: 1024 },
        size_bytes: { type: 'integer', minimum: 0 }, metadata: STRING_MAP,
      }, ['upload_token']),
      response: responses({ 201: object({ path: { type: 'string' }, etag: { type: 'string' } }, ['path']) }),
    },
  }, async (req, reply) => {
    const { caller, repo, target } = await writeTarget(req, req.query.session_id, 'PutObject', req.query.path);
    const b = req.body;
    const object = await finalizeUpload(services, caller, repo, target.session!, req.query.path, {
      token: b.upload_token,
      ...(b.checksum ? { checksum: b.checksum } : {}),
      ...(b.size_bytes !== undefined ? { sizeBytes: b.size_bytes } : {}),
      contentType: b.content_type ?? 'application/octet-stream',
      metadata: b.metadata ?? {},
    });
    return reply.status(201).send({ path: req.query.path, etag: object.etag });
  });

  api.delete<{ Params: RepoParams; Querystring: WriteQuery }>(`${R}/object`, {
    schema: { summary: 'Stage the deletion of an object', tags, params: REPO_PARAMS, querystring: WRITE_QUERY, response: responses({ 204: EMPTY }) },
  }, async (req, reply) => {
    const { caller, target } = await writeTarget(req, req.query.session_id, 'DeleteObject', req.query.path);
    const deleted = await deleteObjects(services, target, caller.actor, [req.query.path]);
    if (deleted.length === 0) throw new ApiError(404, 'NOT_FOUND', `no object at ${req.query.path}`);
    return reply.status(204).send();
  });

  api.post<{ Params: RepoParams; Querystring: { session_id: string; source_path: string; destination_path: string } }>(`${R}/object/copy`, {
    schema: {
      summary: 'Stage a metadata-only copy (no byte is copied)', tags, params: REPO_PARAMS, body: NO_BODY,
      querystring: object({ session_id: UUID, source_path: OBJECT_PATH, destination_path: OBJECT_PATH }, ['session_id', 'source_path', 'destination_path']),
      response: responses({ 201: object({ source_path: { type: 'string' }, destination_path: { type: 'string' } }, ['source_path', 'destination_path']) }),
    },
  }, async (req, reply) => {
    const q = req.query;
    const { caller, target } = await writeTarget(req, q.session_id, 'PutObject', q.destination_path);
    await resolveRepository(services, caller, req.params.org, req.params.repo, 'GetObject', q.source_path);
    const source = await getObject(services, target, q.source_path);
    // Metadata-only: the copy names the same blob.
    await applyChanges(services, target, caller.actor, [{ path: q.destination_path, object: source }], `Copy ${q.source_path}`);
    return reply.status(201).send({ source_path: q.source_path, destination_path: q.destination_path });
  });

  api.get<{ Params: RepoParams; Querystring: PageQuery & { session_id?: string; ref?: string; prefix?: string; delimiter?: string } }>(`${R}/objects`, {
    schema: {
      summary: 'Objects by path at the latest commit, a ref, or in a session (staged ones carry status); a delimiter rolls up common prefixes', tags,
      params: REPO_PARAMS,
      querystring: object({ ...PAGE_QUERY, session_id: UUID, ref: COMMIT_REF, prefix: { type: 'string' }, delimiter: { type: 'string', maxLength: 16 } }),
      response: responses({ 200: paginatedOf(LISTING_ENTRY) }),
    },
  }, async (req) => {
    const target = await readTarget(req, req.query, 'ListObjects', req.query.prefix ?? '');
    const { after, limit } = pageParams(req.query);
    const page = await listObjects(services, target, {
      limit, cursor: after, ...(req.query.prefix ? { prefix: req.query.prefix } : {}), ...(req.query.delimiter ? { delimiter: req.query.delimiter } : {}),
    });
    const staged = await stagedStatuses(services, target, page.items.flatMap((i) => (i.type === 'object' && i.entry.staged ? [i.path] : [])));
    const results = page.items.map((i) => (i.type === 'prefix'
      ? { path: i.path, type: 'prefix' }
      : { path: i.path, type: 'object', entry: entryJson(i.entry), ...(staged.has(i.path) ? { status: staged.get(i.path) } : {}) }));
    return paginated(results, page, limit);
  });

  api.post<{ Params: RepoParams; Querystring: { session_id: string }; Body: { paths: string[] } }>(`${R}/objects/delete`, {
    schema: {
      summary: 'Stage the deletion of up to 1,000 paths; answers how many existed', tags, params: REPO_PARAMS,
      querystring: object({ session_id: UUID }, ['session_id']),
      body: object({ paths: { type: 'array', minItems: 1, maxItems: 1000, items: OBJECT_PATH } }, ['paths']),
      response: responses({ 200: object({ deleted: { type: 'integer' } }, ['deleted']) }),
    },
  }, async (req) => {
    // Each path is authorized on its own, so a grant limited to some paths covers those.
    const [first, ...rest] = req.body.paths;
    const { caller, org, repo, target } = await writeTarget(req, req.query.session_id, 'DeleteObject', first!);
    for (const path of rest) {
      const decision = await authorize(services, caller, 'DeleteObject', { org, repo, path });
      if (decision.requiresApproval) await catalogSessions.setNeedsApproval(services.db, target.session!.id);
    }
    const deleted = await deleteObjects(services, target, caller.actor, req.body.paths);
    return { deleted: deleted.length };
  });
}

function objectHeaders(reply: FastifyReply, entry: ObjectEntry): void {
  reply.header('etag', `"${entry.etag}"`).header('content-type', entry.contentType).header('content-length', entry.size)
    .header('last-modified', entry.lastModified.toUTCString()).header('accept-ranges', 'bytes');
  for (const [key, value] of Object.entries(entry.userMetadata)) reply.header(`x-tilde-meta-${key}`, value);
}
