// PutObjectTagging and DeleteObjectTagging: an empty TagSet (what a copy of an untagged object
// sends) and removing tags are accepted, since that is the state Trove keeps; setting tags is
// not supported, and says so rather than pretending to store them.
import { getObject } from '../../core/objects.js';
import type { S3Context, S3Response } from '../context.js';
import { S3Error } from '../s3-error.js';
import { resolveTarget } from '../target.js';
import { parseXml } from '../xml.js';
import { readBody } from './body.js';

export async function putObjectTagging(ctx: S3Context): Promise<S3Response> {
  const { target } = await resolveTarget(ctx, 'PutObject', { write: true });
  await getObject(ctx.services, target, ctx.key!);
  const doc = parseXml(await readBody(ctx, 64 * 1024), { arrays: ['Tagging.TagSet.Tag'] }) as { Tagging?: { TagSet?: { Tag?: unknown[] } | string } };
  const tagSet = doc.Tagging?.TagSet;
  if (!doc.Tagging) throw new S3Error('MalformedXML');
  if (typeof tagSet === 'object' && (tagSet.Tag?.length ?? 0) > 0) throw new S3Error('NotImplemented', 'Trove does not store object tags');
  return {};
}

export async function deleteObjectTagging(ctx: S3Context): Promise<S3Response> {
  const { target } = await resolveTarget(ctx, 'PutObject', { write: true });
  await getObject(ctx.services, target, ctx.key!);
  return { status: 204 };
}
