// What GetObject and HeadObject share: locating the version (the bucket's view or a
// versionId; a delete marker's is 405), conditional reads, a single Range, response-*
// overrides, checksums when asked.
import { reads, type ObjectEntry } from '../../catalog/index.js';
import { getObject as getObjectAt } from '../../core/objects.js';
import type { S3Context } from '../context.js';
import { checkReadConditions, conditionsFromHeaders } from '../protocol/conditional.js';
import { headerValue, queryValue } from '../protocol/headers.js';
import { parseRange } from '../protocol/range.js';
import { responseHeaderOverrides } from '../protocol/response-overrides.js';
import { S3Error } from '../s3-error.js';
import { resolveTarget } from '../target.js';
import { isDeleteMarker, objectHeaders, parseAnyVersionId } from './shared.js';

export async function locate(ctx: S3Context): Promise<ObjectEntry> {
  const { target } = await resolveTarget(ctx, 'GetObject');
  const versionId = queryValue(ctx.query, 'versionId');
  if (versionId === undefined || versionId === 'null') return getObjectAt(ctx.services, target, ctx.key!);
  const id = parseAnyVersionId(versionId);
  if (id?.kind === 'marker' && await isDeleteMarker(ctx.services.db, target.repo.id, ctx.key!, id.seq)) {
    // As S3 answers a GET or HEAD of a delete marker's version.
    throw Object.assign(new S3Error('MethodNotAllowed', undefined, { Method: ctx.method, ResourceType: 'DeleteMarker' }), {
      headers: { 'x-amz-delete-marker': 'true', 'x-amz-version-id': versionId, allow: 'DELETE' },
    });
  }
  const entry = id?.kind === 'version' ? await reads.getVersion(ctx.services.db, target.repo.id, ctx.key!, id.seq) : null;
  if (!entry) throw new S3Error('NoSuchVersion', undefined, { Key: ctx.key!, VersionId: versionId });
  return entry;
}

export function prepare(ctx: S3Context, entry: ObjectEntry): { headers: Record<string, string | number>; range: { start: number; end: number } | null } {
  const range = parseRange(headerValue(ctx.headers, 'range'), entry.size);
  // Whole-object checksums describe whole-object bodies only: none on a range, as S3 does.
  const headers = objectHeaders(entry, !range && headerValue(ctx.headers, 'x-amz-checksum-mode')?.toUpperCase() === 'ENABLED');
  try {
    checkReadConditions(conditionsFromHeaders(ctx.headers), { etag: entry.etag, lastModified: entry.lastModified });
  } catch (err) {
    // A 304 still carries the object's validators.
    if (err instanceof S3Error && err.code === 'NotModified') throw Object.assign(err, { headers: { etag: headers.etag, 'last-modified': headers['last-modified'] } });
    throw err;
  }
  Object.assign(headers, responseHeaderOverrides(ctx.query, { anonymous: ctx.caller === null }));
  return { headers, range };
}
