// A delete naming a version must name the latest one: older versions and delete markers are the
// immutable history (what S3 answers for a locked version: AccessDenied).
import { reads } from '../../catalog/index.js';
import type { S3Context } from '../context.js';
import { S3Error } from '../s3-error.js';
import { isDeleteMarker, parseAnyVersionId } from './shared.js';

const HISTORY = 'Past versions and delete markers are part of the immutable history and cannot be deleted';

/** A delete naming a version must name the latest one: older versions are history. */
export async function checkVersion(ctx: S3Context, viewRepoId: string, key: string, versionId: string | undefined, latestSeq: number | null): Promise<void> {
  if (versionId === undefined || versionId === 'null') return;
  const id = parseAnyVersionId(versionId);
  const exists = id?.kind === 'version'
    ? (await reads.getVersion(ctx.services.db, viewRepoId, key, id.seq)) !== null
    : id?.kind === 'marker' && (await isDeleteMarker(ctx.services.db, viewRepoId, key, id.seq));
  if (!id || !exists) throw new S3Error('NoSuchVersion', undefined, { Key: key, VersionId: versionId });
  if (id.kind === 'marker' || latestSeq === null || id.seq !== Number(latestSeq)) throw new S3Error('AccessDenied', HISTORY);
}
