// The S3 door's authentication: who signed the request (or nobody), and the body to read,
// already checked against what was signed: a hex payload hash verified as it streams, or an
// aws-chunked body decoded with its chunk signatures and trailers.
import { pipeline, type Readable, type Transform } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { FastifyRequest } from 'fastify';
import { callerOf, type Caller } from '../core/caller.js';
import { secretForAccessKey } from '../core/keys.js';
import type { Services } from '../core/services.js';
import { AuthError, AwsChunkedDecoder, parseAuth, PayloadHashCheck, verifyV2, verifyV4, type RawRequest, type V4Verified } from './signature/index.js';

export interface S3Auth {
  caller: Caller | null;
  body: Readable;
  contentLength: number | undefined;
  trailers: () => Promise<Record<string, string>>;
}

const noTrailers = async () => ({});

function rawRequest(req: FastifyRequest): RawRequest {
  const question = req.url.indexOf('?');
  const rawQuery = question < 0 ? '' : req.url.slice(question + 1);
  const header = (name: string) => {
    const value = req.headers[name];
    return Array.isArray(value) ? value.join(',') : value;
  };
  return {
    method: req.method, rawPath: question < 0 ? req.url : req.url.slice(0, question), rawQuery,
    query: new URLSearchParams(rawQuery), header, headerNames: Object.keys(req.headers),
  };
}

export async function authenticateS3(services: Services, req: FastifyRequest, opts: { region: string | undefined }): Promise<S3Auth> {
  const raw = rawRequest(req);
  const source = (req.body as Readable | undefined) ?? req.raw;
  const declaredLength = raw.header('content-length');
  const parsed = parseAuth(raw.header, raw.query);
  if (!parsed) return { caller: null, body: source, contentLength: declaredLength ? Number(declaredLength) : undefined, trailers: noTrailers };
  const found = await secretForAccessKey(services, parsed.accessKeyId);
  if (!found) throw new AuthError('InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', { AWSAccessKeyId: parsed.accessKeyId });
  const now = Date.now();
  let verified: V4Verified | null = null;
  if (parsed.kind === 'v4') verified = verifyV4(parsed, found.secret, raw, { now, region: opts.region });
  else verifyV2(parsed, found.secret, raw, { now });
  const caller = callerOf(found.principal, found.key);
  return { caller, ...decodeBody(raw, source, parsed.kind === 'v4' && !parsed.presigned ? verified : null) };
}

function decodeBody(raw: RawRequest, source: Readable, verified: V4Verified | null): Omit<S3Auth, 'caller'> {
  const mode = verified ? raw.header('x-amz-content-sha256') ?? 'UNSIGNED-PAYLOAD' : 'UNSIGNED-PAYLOAD';
  const decodedLength = raw.header('x-amz-decoded-content-length');
  const contentLength = raw.header('content-length');
  if (mode.startsWith('STREAMING-')) {
    const signed = mode.startsWith('STREAMING-AWS4-HMAC-SHA256-PAYLOAD');
    if (!signed && mode !== 'STREAMING-UNSIGNED-PAYLOAD-TRAILER') throw new AuthError('InvalidArgument', `Unsupported x-amz-content-sha256 ${mode}`);
    const expectedLength = decodedLength !== undefined ? Number(decodedLength) : undefined;
    const decoder = new AwsChunkedDecoder({
      ...(signed && verified ? { signing: { signingKey: verified.signingKey, amzDate: verified.amzDate, scope: verified.scope, seedSignature: verified.seedSignature } } : {}),
      ...(expectedLength !== undefined ? { expectedLength } : {}),
    });
    return { body: through(source, decoder), contentLength: expectedLength, trailers: async () => (await finished(decoder, { readable: false }), decoder.trailers) };
  }
  const length = contentLength !== undefined ? Number(contentLength) : undefined;
  if (/^[0-9a-fA-F]{64}$/.test(mode)) return { body: through(source, new PayloadHashCheck(mode)), contentLength: length, trailers: noTrailers };
  if (mode !== 'UNSIGNED-PAYLOAD') throw new AuthError('InvalidArgument', `Unsupported x-amz-content-sha256 ${mode}`);
  return { body: source, contentLength: length, trailers: noTrailers };
}

function through(source: Readable, transform: Transform): Readable {
  return pipeline(source, transform, () => {});
}
