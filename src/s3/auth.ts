// The S3 door's authentication: who signed the request (or nobody), and the body to read,
// already checked against what was signed (a hex payload hash verified as it streams, or an
// aws-chunked body decoded with its chunk signatures and trailers). The protocol lives in
// sigv4/; this is the glue to the catalog's keys.
import { pipeline, type Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import { callerOf, type Caller } from '../core/caller.js';
import { secretForAccessKey } from '../core/keys.js';
import type { Services } from '../core/services.js';
import { authenticate, decodeBody } from './sigv4/index.js';

export interface S3Auth {
  caller: Caller | null;
  body: Readable;
  contentLength: number | undefined;
  trailers: () => Promise<Record<string, string>>;
  /** The hex SHA-256 the body must have, when its check was left to the operation (deferPayloadHash). */
  payloadSha256: string | undefined;
}

/**
 * `deferPayloadHash`: the operation stores the body as an object and hashes it anyway, so the
 * signed SHA-256 is checked from those digests (one pass, on a worker for large bodies) rather
 * than by a second hash on the event loop.
 */
export async function authenticateS3(
  services: Services,
  req: FastifyRequest,
  opts: { region: string | undefined; deferPayloadHash?: boolean },
): Promise<S3Auth> {
  const signed = { method: req.method, url: req.url, headers: req.headers };
  let found: Awaited<ReturnType<typeof secretForAccessKey>> = null;
  const result = await authenticate(signed, async (accessKeyId) => {
    found = await secretForAccessKey(services, accessKeyId);
    return found?.secret ?? null;
  }, { ...(opts.region ? { allowedRegion: opts.region } : {}) });
  const holder = found as Awaited<ReturnType<typeof secretForAccessKey>>;
  const caller = result && holder ? callerOf(holder.principal, holder.key) : null;
  const decoding = decodeBody(signed, result?.verified ?? null, { deferPayloadHash: opts.deferPayloadHash ?? false });
  const source = (req.body as Readable | undefined) ?? req.raw;
  const body = decoding.transform ? pipeline(source, decoding.transform, () => {}) : source;
  return { caller, body, contentLength: decoding.contentLength, trailers: decoding.trailers, payloadSha256: decoding.payloadSha256 };
}
