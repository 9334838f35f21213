// A delete naming a version must name the latest one: older versions are the immutable history.
import { reads } from '../../catalog/index.js';
import type { S3Context } from '../context.js';
import { S3Error } from '../s3-error.js';
import { parseVersionId } from './shared.js';

/** A delete naming a version must name the latest one: older versions are history. */
export async function checkVersion(ctx: S3Context, viewRepoId: string, key: string, versionId: string | undefined, latestSeq: number | null): Promise<void> {
  if (versionId === undefined || versionId === 'null') return;
  const seq = parseVersionId(versionId);
  if (seq === null || !(await reads.getVersion(ctx.services.db, viewRepoId, key, seq))) {
    throw new S3Error('NoSuchVersion', undefined, { Key: key, VersionId: versionId });
  }
  if (seq !== latestSeq) throw new S3Error('AccessDenied', 'Past versions are part of the immutable history and cannot be deleted');
}
