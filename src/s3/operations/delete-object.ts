// DeleteObject and DeleteObjects: one commit for the whole request (or staged deletes in a
// session). History is immutable, so deleting a version that is not the latest is refused.
import { reads } from '../../catalog/index.js';
import { authorize } from '../../core/authorize.js';
import { deleteObjects as deletePaths, viewOf } from '../../core/objects.js';
import type { S3Context, S3Response } from '../context.js';
import { queryValue } from '../protocol/headers.js';
import { S3Error } from '../s3-error.js';
import { resolveTarget } from '../target.js';
import { readBody } from './body.js';
import { parseVersionId } from './shared.js';
import { buildXml, parseXml } from '../xml.js';

/** A delete naming a version must name the latest one: older versions are history. */
async function checkVersion(ctx: S3Context, viewRepoId: string, key: string, versionId: string | undefined, latestSeq: number | null): Promise<void> {
  if (versionId === undefined || versionId === 'null') return;
  const seq = parseVersionId(versionId);
  if (seq === null || !(await reads.getVersion(ctx.services.db, viewRepoId, key, seq))) {
    throw new S3Error('NoSuchVersion', undefined, { Key: key, VersionId: versionId });
  }
  if (seq !== latestSeq) throw new S3Error('AccessDenied', 'Past versions are part of the immutable history and cannot be deleted');
}

export async function deleteObject(ctx: S3Context): Promise<S3Response> {
  const { target } = await resolveTarget(ctx, 'DeleteObject', { write: true });
  const current = await reads.getObject(ctx.services.db, viewOf(target), ctx.key!);
  await checkVersion(ctx, target.repo.id, ctx.key!, queryValue(ctx.query, 'versionId'), current?.staged ? null : current?.fromSeq ?? null);
  await deletePaths(ctx.services, target, ctx.caller!.actor, [ctx.key!]);
  return { status: 204 };
}

interface DeleteRequest { Object?: Array<{ Key?: string; VersionId?: string }>; Quiet?: string }

export async function deleteObjects(ctx: S3Context): Promise<S3Response> {
  const { target, repo, org } = await resolveTarget(ctx, 'DeleteObject', { write: true });
  const doc = parseXml(await readBody(ctx, 2 * 1024 * 1024), { arrays: ['Delete.Object'] }) as unknown as { Delete?: DeleteRequest };
  const objects = doc.Delete?.Object ?? [];
  if (objects.length === 0 || objects.length > 1000) throw new S3Error('MalformedXML');
  const quiet = doc.Delete?.Quiet === 'true';
  const errors: Array<{ Key: string; Code: string; Message: string }> = [];
  const keys: string[] = [];
  const view = viewOf(target);
  for (const o of objects) {
    const key = o.Key ?? '';
    try {
      await authorize(ctx.services, ctx.caller, 'DeleteObject', { org, repo, path: key });
      const current = await reads.getObject(ctx.services.db, view, key);
      await checkVersion(ctx, repo.id, key, o.VersionId, current?.staged ? null : current?.fromSeq ?? null);
      keys.push(key);
    } catch (err) {
      const s3 = err instanceof S3Error ? err : new S3Error('AccessDenied');
      errors.push({ Key: key, Code: s3.code, Message: s3.message });
    }
  }
  if (keys.length > 0) await deletePaths(ctx.services, target, ctx.caller!.actor, keys);
  return {
    body: buildXml('DeleteResult', {
      Deleted: quiet ? undefined : keys.map((Key) => ({ Key })),
      Error: errors,
    }),
  };
}
