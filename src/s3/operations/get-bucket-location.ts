// GetBucketLocation: the gateway's region (empty for us-east-1, as S3 answers).
import type { S3Context, S3Response } from '../context.js';
import { S3_XMLNS } from '../xml.js';
import { escapeXml } from '../protocol/xml-escape.js';
import { resolveTarget } from '../target.js';

export async function getBucketLocation(ctx: S3Context): Promise<S3Response> {
  await resolveTarget(ctx, 'GetRepository');
  // us-east-1 is written as an empty LocationConstraint, as S3 does.
  const region = ctx.region === 'us-east-1' ? '' : escapeXml(ctx.region);
  return { body: `<?xml version="1.0" encoding="UTF-8"?>\n<LocationConstraint xmlns="${S3_XMLNS}">${region}</LocationConstraint>` };
}
