// ListBuckets: the repositories of the caller's home organization it may list, paginated
// (max-buckets, continuation-token, prefix) as S3 does.
import { repositories } from '../../catalog/index.js';
import { authorize } from '../../core/authorize.js';
import { homeOrganization } from '../../core/caller.js';
import type { S3Context, S3Response } from '../context.js';
import { queryValue } from '../protocol/headers.js';
import { decodeContinuationToken, encodeContinuationToken, parseListLimit } from '../protocol/tokens.js';
import { buildXml } from '../xml.js';
import { owner, requireCaller } from './shared.js';

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
