// PUT /api/v1/uploads/{token}: where clients send the bytes of an upload URL. The token in the
// path authorizes the request by itself (the SDK sends no Authorization header here).
import type { FastifyInstance } from 'fastify';
import { receiveUpload } from '../../core/uploads.js';
import type { ApiDeps } from '../index.js';
import { EMPTY, NO_QUERY, params, responses } from '../schemas/common.js';

export function uploadRoutes(api: FastifyInstance, { services }: ApiDeps): void {
  api.register(async (scope) => {
    // Bodies of any type stream straight to the blob store, never buffered (so no body schema).
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_req, payload, done) => done(null, payload));
    scope.put<{ Params: { token: string } }>('/uploads/:token', {
      schema: {
        summary: 'The bytes of an upload URL (self-authorizing: no Authorization); answers the ETag "<md5 hex>"', tags: ['objects'],
        security: [], consumes: ['application/octet-stream'],
        params: params({ token: { type: 'string', minLength: 1, maxLength: 512 } }), querystring: NO_QUERY,
        response: responses({ 200: { ...EMPTY, description: 'stored; the ETag header is the quoted MD5 of the bytes' } }),
      },
    }, async (req, reply) => {
      const length = req.headers['content-length'];
      const md5 = await receiveUpload(services, req.params.token, req.raw, length !== undefined ? Number(length) : undefined);
      return reply.header('etag', `"${md5}"`).status(200).send();
    });
  });
}
