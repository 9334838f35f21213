// CreateBucket: a new repository in the caller's home organization (S3 name rules, no dots;
// x-amz-acl public-read makes it public). A name already taken is BucketAlreadyOwnedByYou when
// the caller may read that repository, BucketAlreadyExists when not.
import { repositories } from '../../catalog/index.js';
import { homeOrganization } from '../../core/caller.js';
import { createRepository } from '../../core/repositories.js';
import type { S3Context, S3Response } from '../context.js';
import { assertValidBucketName } from '../protocol/bucket-name.js';
import { parseCannedAcl } from '../protocol/canned-acl.js';
import { headerValue } from '../protocol/headers.js';
import { S3Error } from '../s3-error.js';
import { bucketRepository } from '../target.js';
import { readBody } from './body.js';
import { isAllowed, requireCaller } from './shared.js';

export async function createBucket(ctx: S3Context): Promise<S3Response> {
  const caller = requireCaller(ctx);
  const name = ctx.bucket!;
  await refuseTimeTravel(ctx);
  assertValidBucketName(name);
  parseCannedAcl(headerValue(ctx.headers, 'x-amz-acl'), 'bucket');
  await readBody(ctx, 64 * 1024); // an optional CreateBucketConfiguration: any region is fine
  const org = await homeOrganization(ctx.services, caller);
  const existing = await repositories.getRepositoryByName(ctx.services.db, org.id, name).catch(() => null);
  if (existing) {
    // As S3 tells owners from strangers: a repository the caller may read is "yours".
    const yours = await isAllowed(ctx, caller, 'GetRepository', { org, repo: existing });
    throw new S3Error(yours ? 'BucketAlreadyOwnedByYou' : 'BucketAlreadyExists', undefined, { BucketName: name });
  }
  await createRepository(ctx.services, caller, org, { name, visibility: headerValue(ctx.headers, 'x-amz-acl')?.startsWith('public-read') ? 'public' : 'private' });
  return { headers: { location: `/${name}` } };
}

// `<repo>.<commit>` of an existing repository is a bucket that exists and is read-only:
// creating it is a write there, refused as every other. Tools such as rclone create the
// bucket before they upload, and must see why the upload cannot happen.
async function refuseTimeTravel(ctx: S3Context): Promise<void> {
  if (!ctx.bucket?.includes('.')) return;
  const ref = await bucketRepository(ctx).catch(() => null);
  if (ref?.commitRef !== undefined) throw new S3Error('AccessDenied', 'A bucket named <repository>.<commit> reads a past commit and is read-only');
}
