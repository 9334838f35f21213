// GetBucketTagging: no repository has tags, which S3 answers with NoSuchTagSet.
import type { S3Context, S3Response } from '../context.js';
import { S3Error } from '../s3-error.js';
import { resolveTarget } from '../target.js';

export async function getBucketTagging(ctx: S3Context): Promise<S3Response> {
  await resolveTarget(ctx, 'GetRepository');
  throw new S3Error('NoSuchTagSet', undefined, { BucketName: ctx.bucket! });
}
