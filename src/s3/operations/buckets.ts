// Bucket operations: ListBuckets, CreateBucket, HeadBucket, DeleteBucket, GetBucketLocation,
// Get/PutBucketVersioning, and the ACL answers (accepted, always the owner's full control).
import { repositories } from '../../catalog/index.js';
import { authorize } from '../../core/authorize.js';
import { homeOrganization } from '../../core/caller.js';
import { createRepository, deleteRepository } from '../../core/repositories.js';
import type { S3Context, S3Response } from '../context.js';
import { assertValidBucketName } from '../protocol/bucket-name.js';
import { parseCannedAcl } from '../protocol/canned-acl.js';
import { headerValue, queryValue } from '../protocol/headers.js';
import { decodeContinuationToken, encodeContinuationToken, parseListLimit } from '../protocol/tokens.js';
import { S3Error } from '../s3-error.js';
import { buildXml, S3_XMLNS } from '../xml.js';
import { escapeXml } from '../protocol/xml-escape.js';
import { bucketRepository, resolveTarget } from '../target.js';
import { owner } from './shared.js';
import { readBody } from './body.js';

function requireCaller(ctx: S3Context) {
  if (!ctx.caller) throw new S3Error('AccessDenied', 'Anonymous requests may only read public repositories');
  return ctx.caller;
}

export async function listBuckets(ctx: S3Context): Promise<S3Response> {
  const caller = requireCaller(ctx);
  const org = await homeOrganization(ctx.services, caller);
  await authorize(ctx.services, caller, 'ListRepositories', { org });
  const limit = parseListLimit(queryValue(ctx.query, 'max-buckets') ?? undefined, 'max-keys');
  const token = queryValue(ctx.query, 'continuation-token');
  const after = token ? decodeContinuationToken(token).after : null;
  const page = await repositories.listRepositories(ctx.services.db, org.id, { after, limit, prefix: queryValue(ctx.query, 'prefix') ?? '' });
  return {
    body: buildXml('ListAllMyBucketsResult', {
      Owner: owner(caller),
      Buckets: { Bucket: page.items.map((r) => ({ Name: r.name, CreationDate: r.createdAt, BucketRegion: ctx.region })) },
      ContinuationToken: page.next ? encodeContinuationToken({ after: page.next, kind: 'key' }) : undefined,
      Prefix: queryValue(ctx.query, 'prefix'),
    }),
  };
}

export async function createBucket(ctx: S3Context): Promise<S3Response> {
  const caller = requireCaller(ctx);
  const name = ctx.bucket!;
  await refuseTimeTravel(ctx);
  assertValidBucketName(name);
  parseCannedAcl(headerValue(ctx.headers, 'x-amz-acl'), 'bucket');
  await readBody(ctx, 64 * 1024); // an optional CreateBucketConfiguration: any region is fine
  const org = await homeOrganization(ctx.services, caller);
  const existing = await repositories.getRepositoryByName(ctx.services.db, org.id, name).catch(() => null);
  if (existing) throw new S3Error('BucketAlreadyOwnedByYou', undefined, { BucketName: name });
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

export async function headBucket(ctx: S3Context): Promise<S3Response> {
  await resolveTarget(ctx, 'GetRepository');
  return { headers: { 'x-amz-bucket-region': ctx.region } };
}

export async function deleteBucket(ctx: S3Context): Promise<S3Response> {
  const caller = requireCaller(ctx);
  const { org, repo, commitRef } = await bucketRepository(ctx);
  if (commitRef !== undefined) throw new S3Error('AccessDenied', 'A past commit cannot be deleted');
  if (repo.objectCount > 0) throw new S3Error('BucketNotEmpty', undefined, { BucketName: ctx.bucket! });
  await deleteRepository(ctx.services, caller, org.name, repo.name);
  return { status: 204 };
}

export async function getBucketLocation(ctx: S3Context): Promise<S3Response> {
  await resolveTarget(ctx, 'GetRepository');
  // us-east-1 is written as an empty LocationConstraint, as S3 does.
  const region = ctx.region === 'us-east-1' ? '' : escapeXml(ctx.region);
  return { body: `<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint xmlns="${S3_XMLNS}">${region}</LocationConstraint>` };
}

export async function getBucketVersioning(ctx: S3Context): Promise<S3Response> {
  await resolveTarget(ctx, 'GetRepository');
  return { body: buildXml('VersioningConfiguration', { Status: 'Enabled' }) };
}

export async function putBucketVersioning(ctx: S3Context): Promise<S3Response> {
  await resolveTarget(ctx, 'UpdateRepository');
  const body = (await readBody(ctx, 64 * 1024)).toString('utf8');
  if (/<Status>\s*Suspended\s*<\/Status>/.test(body)) {
    throw new S3Error('InvalidBucketState', 'Versioning cannot be suspended: every Trove repository keeps its history');
  }
  return {};
}

export async function getAcl(ctx: S3Context): Promise<S3Response> {
  await resolveTarget(ctx, ctx.key === null ? 'GetRepository' : 'GetObject');
  const { ID, DisplayName } = owner(ctx.caller);
  const who = `<ID>${escapeXml(ID)}</ID><DisplayName>${escapeXml(DisplayName)}</DisplayName>`;
  // Written by hand: the Grantee's xsi:type attribute is beyond buildXml.
  return {
    body: `<?xml version="1.0" encoding="UTF-8"?>\n<AccessControlPolicy xmlns="${S3_XMLNS}"><Owner>${who}</Owner>` +
      `<AccessControlList><Grant><Grantee xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="CanonicalUser">${who}</Grantee>` +
      '<Permission>FULL_CONTROL</Permission></Grant></AccessControlList></AccessControlPolicy>',
  };
}

export async function putAcl(ctx: S3Context): Promise<S3Response> {
  await resolveTarget(ctx, ctx.key === null ? 'UpdateRepository' : 'PutObject');
  parseCannedAcl(headerValue(ctx.headers, 'x-amz-acl'), ctx.key === null ? 'bucket' : 'object');
  await readBody(ctx, 64 * 1024);
  return {};
}
