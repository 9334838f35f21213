// GetObject: the version's bytes, whole or one Range (206), streamed from the blob store.
import type { S3Context, S3Response } from '../context.js';
import { openObject } from '../../core/objects.js';
import { contentRange } from '../protocol/range.js';
import { locate, prepare } from './read-object.js';

export async function getObject(ctx: S3Context): Promise<S3Response> {
  const entry = await locate(ctx);
  const { headers, range } = await prepare(ctx, entry);
  const body = await openObject(ctx.services, entry, range ?? undefined);
  if (!range) return { headers: { ...headers, 'content-length': entry.size }, body };
  return {
    status: 206,
    headers: { ...headers, 'content-length': range.end - range.start + 1, 'content-range': contentRange(range.start, range.end, entry.size) },
    body,
  };
}
