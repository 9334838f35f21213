// Small pieces several operations share: the owner element, ISO dates, object headers.
import { reads, type ObjectEntry, type Queryable } from '../../catalog/index.js';
import { authorize, type Action, type Resource } from '../../core/authorize.js';
import type { Caller } from '../../core/caller.js';
import { ForbiddenError } from '../../errors.js';
import type { S3Context } from '../context.js';
import { metadataResponseHeaders } from '../protocol/metadata.js';
import { quoteEtag } from '../protocol/etag.js';
import { S3Error } from '../s3-error.js';

export function owner(caller: Caller | null): { ID: string; DisplayName: string } {
  return { ID: caller?.principal.id ?? 'anonymous', DisplayName: caller?.principal.name ?? 'anonymous' };
}

/** S3's VersionId for an entry: the commit sequence number that wrote it; 'null' for staged ones. */
export function versionIdOf(entry: Pick<ObjectEntry, 'fromSeq' | 'staged'>): string {
  return entry.staged ? 'null' : `v${entry.fromSeq}`;
}

export function parseVersionId(versionId: string): number | null {
  const match = /^v(\d{1,15})$/.exec(versionId);
  return match ? Number(match[1]) : null;
}

/** A delete marker's VersionId: the sequence number of the commit that deleted the key. */
export const deleteMarkerIdOf = (seq: number): string => `d${seq}`;

/** A version's (`v<seq>`) or a delete marker's (`d<seq>`) id, or null. */
export function parseAnyVersionId(versionId: string): { kind: 'version' | 'marker'; seq: number } | null {
  const match = /^([vd])(\d{1,15})$/.exec(versionId);
  return match ? { kind: match[1] === 'v' ? 'version' : 'marker', seq: Number(match[2]) } : null;
}

/** Whether the commit `seq` deleted `path` (S3's delete marker `d<seq>`). */
export async function isDeleteMarker(db: Queryable, repoId: string, path: string, seq: number): Promise<boolean> {
  if (seq < 1) return false;
  const before = await reads.getObject(db, { repoId, seq: seq - 1 }, path);
  if (!before || Number(before.toSeq) !== seq) return false;
  return (await reads.getObject(db, { repoId, seq }, path)) === null;
}

export function objectHeaders(entry: ObjectEntry, withChecksums: boolean): Record<string, string | number> {
  const headers: Record<string, string | number> = {
    ...metadataResponseHeaders({ contentType: entry.contentType, ...entry.httpHeaders }, entry.userMetadata),
    etag: quoteEtag(entry.etag),
    'last-modified': entry.lastModified.toUTCString(),
    'accept-ranges': 'bytes',
    'x-amz-version-id': versionIdOf(entry),
  };
  if (withChecksums) {
    for (const [algorithm, value] of Object.entries(entry.checksums)) headers[`x-amz-checksum-${algorithm.toLowerCase()}`] = value;
    // A composite checksum ends in -<parts>; a whole object's (single PUT, or FULL_OBJECT multipart) does not.
    const values = Object.values(entry.checksums);
    if (values.length > 0) headers['x-amz-checksum-type'] = values.some((v) => v.includes('-')) ? 'COMPOSITE' : 'FULL_OBJECT';
  }
  return headers;
}

/** The signed-in caller; anonymous requests may only read. */
export function requireCaller(ctx: S3Context) {
  if (!ctx.caller) throw new S3Error('AccessDenied', 'Anonymous requests may only read public repositories');
  return ctx.caller;
}

/** Whether the caller may `action` on `resource` (a refusal is an answer, not an error). */
export function isAllowed(ctx: S3Context, caller: Caller, action: Action, resource: Resource): Promise<boolean> {
  return authorize(ctx.services, caller, action, resource).then(() => true, (err: unknown) => {
    if (err instanceof ForbiddenError) return false;
    throw err;
  });
}
