// DeleteObject: one commit deleting the key (or a staged delete in a session).
import { reads } from '../../catalog/index.js';
import { deleteObjects as deletePaths, viewOf } from '../../core/objects.js';
import type { S3Context, S3Response } from '../context.js';
import { queryValue } from '../protocol/headers.js';
import { resolveTarget } from '../target.js';
import { checkVersion } from './delete-version.js';

export async function deleteObject(ctx: S3Context): Promise<S3Response> {
  const { target } = await resolveTarget(ctx, 'DeleteObject', { write: true });
  const current = await reads.getObject(ctx.services.db, viewOf(target), ctx.key!);
  await checkVersion(ctx, target.repo.id, ctx.key!, queryValue(ctx.query, 'versionId'), current?.staged ? null : current?.fromSeq ?? null);
  await deletePaths(ctx.services, target, ctx.caller!.actor, [ctx.key!]);
  return { status: 204 };
}
