// The S3 gateway on fastify: every path outside /api/v1 is S3. This file only glues HTTP to
// the route table: it splits bucket and key from the raw URL, authenticates, runs the
// operation and writes its response, or S3's XML error (no body for HEAD).
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../core/services.js';
import { authenticateS3 } from './auth.js';
import type { S3Context, S3Response } from './context.js';
import { toS3Error } from './error-map.js';
import { route, storesObjectBody } from './router.js';
import { errorXml, S3Error } from './s3-error.js';

export interface S3Deps {
  services: Services;
  /** Pins the SigV4 region; also what GetBucketLocation answers. */
  region: string | undefined;
}

export function registerS3(app: FastifyInstance, deps: S3Deps): void {
  app.register(async (scope) => {
    // Bodies stream to the handlers untouched: object bytes are never parsed or buffered.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_req, payload, done) => done(null, payload));
    // Returning the reply tells fastify the response is under way (a stream may still be piping).
    const handler = async (req: FastifyRequest, reply: FastifyReply) => {
      await handle(deps, req, reply);
      return reply;
    };
    // PATCH and OPTIONS too, so the route table answers them with S3's MethodNotAllowed.
    for (const url of ['/', '/*']) scope.route({ method: ['GET', 'HEAD', 'PUT', 'POST', 'DELETE', 'PATCH', 'OPTIONS'], url, handler });
  });
}

/** Splits `/bucket/key…` from the raw path; the key keeps every character, slashes included. */
export function splitPath(rawUrl: string): { bucket: string | null; key: string | null } {
  const path = rawUrl.split('?', 1)[0]!;
  const slash = path.indexOf('/', 1);
  const bucket = slash < 0 ? path.slice(1) : path.slice(1, slash);
  const rawKey = slash < 0 ? '' : path.slice(slash + 1);
  return { bucket: bucket === '' ? null : decodeURIComponent(bucket), key: rawKey === '' ? null : decodeURIComponent(rawKey) };
}

/** The ids S3 puts on every response; returns the request id. */
function stampRequestIds(reply: FastifyReply): string {
  const requestId = randomIdBytes(8).toString('hex').toUpperCase();
  reply.header('x-amz-request-id', requestId).header('x-amz-id-2', randomIdBytes(24).toString('base64')).header('server', 'Trove');
  return requestId;
}

// The ids' random bytes come from a pooled buffer: one call into the system's generator per
// 128 requests rather than two per request (measured at 2-3% of a small GET's CPU).
const ID_POOL_BYTES = 4096;
let idPool = Buffer.alloc(0);
let idPoolOffset = 0;

function randomIdBytes(length: number): Buffer {
  if (idPoolOffset + length > idPool.length) {
    idPool = randomBytes(ID_POOL_BYTES);
    idPoolOffset = 0;
  }
  idPoolOffset += length;
  return idPool.subarray(idPoolOffset - length, idPoolOffset);
}

/**
 * A request fastify refused before routing it (a URL that is not valid percent-encoding, say),
 * answered as S3 answers it.
 */
export function sendS3FrameworkError(req: FastifyRequest, reply: FastifyReply, code: 'InvalidURI' | 'InvalidRequest'): void {
  const requestId = stampRequestIds(reply);
  const s3 = new S3Error(code);
  reply.status(s3.status).header('content-type', 'application/xml').header('connection', 'close');
  reply.send(req.method === 'HEAD' ? undefined : errorXml(s3, { requestId, resource: req.url.split('?', 1)[0]! }));
}

async function handle(deps: S3Deps, req: FastifyRequest, reply: FastifyReply): Promise<void> {
  const requestId = stampRequestIds(reply);
  let ctx: Pick<S3Context, 'bucket' | 'key'> = { bucket: null, key: null };
  try {
    // Unknown /api/v1 paths belong to the REST API's 404, not to a bucket named "api".
    if (req.url.startsWith('/api/v1/') || req.url === '/api/v1') {
      reply.status(404).send({ message: `no route ${req.method} ${req.url.split('?', 1)[0]}`, code: 'NOT_FOUND', request_id: req.id });
      return;
    }
    const { bucket, key } = splitPath(req.url);
    ctx = { bucket, key };
    const query = req.query as S3Context['query'];
    const handler = route(req.method, bucket, key, query, req.headers);
    const auth = await authenticateS3(deps.services, req, { region: deps.region, deferPayloadHash: storesObjectBody(handler) });
    const full: S3Context = {
      services: deps.services, method: req.method, bucket, key, query, headers: req.headers,
      body: auth.body, contentLength: auth.contentLength, trailers: auth.trailers, payloadSha256: auth.payloadSha256, caller: auth.caller,
      requestId, region: deps.region ?? 'us-east-1',
    };
    send(reply, req.method, await handler(full));
  } catch (err) {
    const s3 = toS3Error(err, ctx);
    // A 304 keeps the object's validators (ETag, Last-Modified).
    for (const [name, value] of Object.entries((err as { headers?: Record<string, string> }).headers ?? {})) reply.header(name, value);
    if (s3.code === 'InternalError') req.log.error({ err }, 'S3 request failed');
    // A refused write may leave body bytes unread. A client still sending them would meet a
    // closed connection instead of this answer, so a small rest is read first; only a large
    // one is cut short by closing.
    if (!req.raw.readableEnded && !(await drainRest(req.raw, DRAIN_LIMIT_BYTES))) reply.header('connection', 'close');
    reply.status(s3.status).header('content-type', 'application/xml');
    reply.send(req.method === 'HEAD' || s3.status === 304 ? undefined : errorXml(s3, { requestId, resource: req.url.split('?', 1)[0]! }));
  }
}

const DRAIN_LIMIT_BYTES = 1024 * 1024;

/** Reads and discards what is left of a request body; false when it is more than `limit`. */
async function drainRest(raw: FastifyRequest['raw'], limit: number): Promise<boolean> {
  const declared = Number(raw.headers['content-length'] ?? NaN);
  if (declared > limit) return false;
  raw.unpipe();
  let read = 0;
  try {
    for await (const chunk of raw) {
      read += (chunk as Buffer).length;
      if (read > limit) return false;
    }
    return true;
  } catch {
    return false;
  }
}

function send(reply: FastifyReply, method: string, res: S3Response): void {
  reply.status(res.status ?? 200);
  for (const [name, value] of Object.entries(res.headers ?? {})) reply.header(name, value);
  const xml = typeof res.body === 'string' || Buffer.isBuffer(res.body);
  if (xml) reply.header('content-type', 'application/xml');
  if (method === 'HEAD') {
    (res.body as Readable | undefined)?.destroy?.();
    reply.send();
    return;
  }
  reply.send(res.body ?? '');
}
