// GetObjectTagging: Trove keeps no object tags, so an existing object has an empty TagSet (as
// S3 answers for an untagged object). Tools that copy tags (aws cli v2's multipart copy) ask.
import { getObject } from '../../core/objects.js';
import type { S3Context, S3Response } from '../context.js';
import { resolveTarget } from '../target.js';
import { buildXml } from '../xml.js';

export async function getObjectTagging(ctx: S3Context): Promise<S3Response> {
  const { target } = await resolveTarget(ctx, 'GetObject');
  await getObject(ctx.services, target, ctx.key!);
  return { body: buildXml('Tagging', { TagSet: '' }) };
}
