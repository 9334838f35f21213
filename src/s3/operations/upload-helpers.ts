// What the multipart operations share: the open upload named by uploadId, and the part number.
import { uploads } from '../../catalog/index.js';
import type { S3Context } from '../context.js';
import { MAX_PARTS } from '../protocol/etag.js';
import { queryValue } from '../protocol/headers.js';
import { S3Error } from '../s3-error.js';
import type { ResolvedTarget } from '../target.js';

export async function openUpload(ctx: S3Context, resolved: ResolvedTarget) {
  const id = queryValue(ctx.query, 'uploadId') ?? '';
  const upload = await uploads.getOpenUpload(ctx.services.db, resolved.repo.id, ctx.key!, id);
  if ((upload.sessionId ?? null) !== (resolved.target.session?.id ?? null)) throw new S3Error('NoSuchUpload');
  return upload;
}

export function partNumberOf(ctx: S3Context): number {
  const n = Number(queryValue(ctx.query, 'partNumber'));
  if (!Number.isInteger(n) || n < 1 || n > MAX_PARTS) throw new S3Error('InvalidArgument', `Part number must be an integer between 1 and ${MAX_PARTS}, inclusive`);
  return n;
}
