// PUT /api/v1/uploads/{token}: where clients send the bytes of an upload URL. The token in the
// path authorizes the request by itself (the SDK sends no Authorization header here).
import type { FastifyInstance } from 'fastify';
import { receiveUpload } from '../../core/uploads.js';
import type { ApiDeps } from '../index.js';

export function uploadRoutes(api: FastifyInstance, { services }: ApiDeps): void {
  api.register(async (scope) => {
    // Bodies of any type stream straight to the blob store, never buffered.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_req, payload, done) => done(null, payload));
    scope.put<{ Params: { token: string } }>('/uploads/:token', async (req, reply) => {
      const length = req.headers['content-length'];
      const md5 = await receiveUpload(services, req.params.token, req.raw, length !== undefined ? Number(length) : undefined);
      return reply.header('etag', `"${md5}"`).status(200).send();
    });
  });
}
