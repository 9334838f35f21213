// PutBucketAcl and PutObjectAcl: canned ACLs are validated and accepted, never stored (the
// object must exist, as on S3).
import { getObject } from '../../core/objects.js';
import type { S3Context, S3Response } from '../context.js';
import { parseCannedAcl } from '../protocol/canned-acl.js';
import { headerValue } from '../protocol/headers.js';
import { resolveTarget } from '../target.js';
import { readBody } from './body.js';

export async function putAcl(ctx: S3Context): Promise<S3Response> {
  const { target } = await resolveTarget(ctx, ctx.key === null ? 'UpdateRepository' : 'PutObject');
  parseCannedAcl(headerValue(ctx.headers, 'x-amz-acl'), ctx.key === null ? 'bucket' : 'object');
  if (ctx.key !== null) await getObject(ctx.services, target, ctx.key);
  await readBody(ctx, 64 * 1024);
  return {};
}
