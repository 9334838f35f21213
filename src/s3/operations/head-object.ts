// HeadObject: GetObject's headers without the body.
import type { S3Context, S3Response } from '../context.js';
import { contentRange } from '../protocol/range.js';
import { locate, prepare } from './read-object.js';

export async function headObject(ctx: S3Context): Promise<S3Response> {
  const entry = await locate(ctx);
  const { headers, range } = await prepare(ctx, entry);
  if (!range) return { headers: { ...headers, 'content-length': entry.size } };
  return {
    status: 206,
    headers: { ...headers, 'content-length': range.end - range.start + 1, 'content-range': contentRange(range.start, range.end, entry.size) },
  };
}
