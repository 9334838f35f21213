// ListBuckets: the repositories of the caller's home organization it may read, paginated
// (max-buckets, continuation-token, prefix) as S3 does.
import { repositories } from '../../catalog/index.js';
import { authorize } from '../../core/authorize.js';
import { homeOrganization } from '../../core/caller.js';
import type { S3Context, S3Response } from '../context.js';
import { queryValue } from '../protocol/headers.js';
import { decodeContinuationToken, encodeContinuationToken, parseListLimit } from '../protocol/tokens.js';
import { buildXml } from '../xml.js';
import { isAllowed, owner, requireCaller } from './shared.js';

export async function listBuckets(ctx: S3Context): Promise<S3Response> {
  const caller = requireCaller(ctx);
  const org = await homeOrganization(ctx.services, caller);
  await authorize(ctx.services, caller, 'ListRepositories', { org });
  const limit = parseListLimit(queryValue(ctx.query, 'max-buckets') ?? undefined, 'max-keys');
  const token = queryValue(ctx.query, 'continuation-token');
  const after = token ? decodeContinuationToken(token).after : null;
  const page = await repositories.listRepositories(ctx.services.db, org.id, { after, limit, prefix: queryValue(ctx.query, 'prefix') ?? '' });
  // Only what the caller may read; the token still follows the unfiltered page, so a page may
  // hold fewer than max-buckets, which S3 clients allow for.
  const readable = await Promise.all(page.items.map((repo) => isAllowed(ctx, caller, 'GetRepository', { org, repo })));
  const buckets = page.items.filter((_, i) => readable[i]);
  return {
    body: buildXml('ListAllMyBucketsResult', {
      Owner: owner(caller),
      Buckets: { Bucket: buckets.map((r) => ({ Name: r.name, CreationDate: r.createdAt, BucketRegion: ctx.region })) },
      ContinuationToken: page.next ? encodeContinuationToken({ after: page.next, kind: 'key' }) : undefined,
      Prefix: queryValue(ctx.query, 'prefix'),
    }),
  };
}
