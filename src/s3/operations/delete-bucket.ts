// DeleteBucket: soft-deletes an empty repository (BucketNotEmpty otherwise).
import { deleteRepository } from '../../core/repositories.js';
import { ConflictError } from '../../errors.js';
import type { S3Context, S3Response } from '../context.js';
import { S3Error } from '../s3-error.js';
import { bucketRepository } from '../target.js';
import { requireCaller } from './shared.js';

export async function deleteBucket(ctx: S3Context): Promise<S3Response> {
  const caller = requireCaller(ctx);
  const { org, repo, commitRef } = await bucketRepository(ctx);
  if (commitRef !== undefined) throw new S3Error('AccessDenied', 'A past commit cannot be deleted');
  const notEmpty = () => new S3Error('BucketNotEmpty', undefined, { BucketName: ctx.bucket! });
  // Emptiness is checked by the delete itself, atomically, on the current row.
  await deleteRepository(ctx.services, caller, org.name, repo.name, { onlyIfEmpty: true }).catch((err: unknown) => {
    throw err instanceof ConflictError ? notEmpty() : err;
  });
  return { status: 204 };
}
