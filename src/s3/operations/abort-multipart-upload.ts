// AbortMultipartUpload: the upload ends and its part blobs become garbage.
import { uploads } from '../../catalog/index.js';
import type { S3Context, S3Response } from '../context.js';
import { resolveTarget } from '../target.js';
import { openUpload } from './upload-helpers.js';

export async function abortMultipartUpload(ctx: S3Context): Promise<S3Response> {
  const resolved = await resolveTarget(ctx, 'PutObject', { write: true });
  const upload = await openUpload(ctx, resolved);
  await uploads.abortUpload(ctx.services.db, resolved.repo.id, ctx.key!, upload.id);
  return { status: 204 };
}
