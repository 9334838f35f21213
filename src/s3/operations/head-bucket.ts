// HeadBucket: the bucket exists and the caller may read it.
import type { S3Context, S3Response } from '../context.js';
import { resolveTarget } from '../target.js';

export async function headBucket(ctx: S3Context): Promise<S3Response> {
  await resolveTarget(ctx, 'GetRepository');
  return { headers: { 'x-amz-bucket-region': ctx.region } };
}
