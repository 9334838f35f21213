// DeleteObjects: up to 1,000 keys in one commit (or staged in a session); per-key errors
// are reported in the result, as S3 does.
import { reads, sessions } from '../../catalog/index.js';
import { authorize } from '../../core/authorize.js';
import { deleteObjects as deletePaths, viewOf } from '../../core/objects.js';
import type { S3Context, S3Response } from '../context.js';
import { toS3Error } from '../error-map.js';
import { S3Error } from '../s3-error.js';
import { resolveTarget } from '../target.js';
import { readBody } from './body.js';
import { buildXml, parseXml } from '../xml.js';
import { checkVersion } from './delete-version.js';

interface DeleteRequest { Object?: Array<{ Key?: string; VersionId?: string }>; Quiet?: string }

export async function deleteObjects(ctx: S3Context): Promise<S3Response> {
  const { target, repo, org } = await resolveTarget(ctx, 'perKey', { write: true });
  const doc = parseXml(await readBody(ctx, 2 * 1024 * 1024), { arrays: ['Delete.Object'] }) as unknown as { Delete?: DeleteRequest };
  const objects = doc.Delete?.Object ?? [];
  if (objects.length === 0 || objects.length > 1000) throw new S3Error('MalformedXML');
  const quiet = doc.Delete?.Quiet === 'true';
  const errors: Array<{ Key: string; VersionId?: string; Code: string; Message: string }> = [];
  const deleted: Array<{ Key: string; VersionId?: string }> = [];
  const keys: string[] = [];
  // One read for every key's current version; a version check needs it only when one is named.
  const current = await reads.getObjects(ctx.services.db, viewOf(target), objects.filter((o) => o.VersionId !== undefined).map((o) => o.Key ?? ''));
  for (const o of objects) {
    const key = o.Key ?? '';
    const version = o.VersionId !== undefined ? { VersionId: o.VersionId } : {};
    try {
      const decision = await authorize(ctx.services, ctx.caller, 'DeleteObject', { org, repo, path: key });
      if (decision.requiresApproval) {
        if (!target.session) throw new S3Error('AccessDenied', 'Deleting this key needs approval: delete it through session credentials');
        await sessions.setNeedsApproval(ctx.services.db, target.session.id);
      }
      const entry = current.get(key);
      await checkVersion(ctx, repo.id, key, o.VersionId, entry && !entry.staged ? entry.fromSeq : null);
      keys.push(key);
      deleted.push({ Key: key, ...version });
    } catch (err) {
      const s3 = toS3Error(err, { bucket: ctx.bucket, key });
      errors.push({ Key: key, ...version, Code: s3.code, Message: s3.message });
    }
  }
  if (keys.length > 0) await deletePaths(ctx.services, target, ctx.caller!.actor, keys);
  return {
    body: buildXml('DeleteResult', {
      Deleted: quiet ? undefined : deleted,
      Error: errors,
    }),
  };
}
