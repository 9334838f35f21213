// DeleteObjects: up to 1,000 keys in one commit (or staged in a session); per-key errors
// are reported in the result, as S3 does.
import { reads } from '../../catalog/index.js';
import { authorize } from '../../core/authorize.js';
import { deleteObjects as deletePaths, viewOf } from '../../core/objects.js';
import type { S3Context, S3Response } from '../context.js';
import { S3Error } from '../s3-error.js';
import { resolveTarget } from '../target.js';
import { readBody } from './body.js';
import { buildXml, parseXml } from '../xml.js';
import { checkVersion } from './delete-version.js';

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
