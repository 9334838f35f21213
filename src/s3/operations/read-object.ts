// What GetObject and HeadObject share: locating the version (the bucket's view or a
// versionId; a delete marker's is 405), conditional reads, a single Range, response-*
// overrides, checksums when asked.
import { reads, type ObjectEntry } from '../../catalog/index.js';
import type { ByteRange } from '../../core/blob-reader.js';
import { found, getObject as getObjectAt, partOf } from '../../core/objects.js';
import type { S3Context } from '../context.js';
import { checkReadConditions, conditionsFromHeaders } from '../protocol/conditional.js';
import { headerValue, queryValue } from '../protocol/headers.js';
import { parseRange } from '../protocol/range.js';
import { responseHeaderOverrides } from '../protocol/response-overrides.js';
import { S3Error } from '../s3-error.js';
import { resolveTarget } from '../target.js';
import { isDeleteMarker, objectHeaders, parseAnyVersionId } from './shared.js';

export async function locate(ctx: S3Context): Promise<ObjectEntry> {
  const versionId = queryValue(ctx.query, 'versionId');
  const latestVersion = versionId === undefined || versionId === 'null';
  const { target, latest } = await resolveTarget(ctx, 'GetObject', { readLatest: latestVersion });
  if (latest !== undefined) return found(latest, ctx.key!);
  if (latestVersion) return getObjectAt(ctx.services, target, ctx.key!);
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

export async function prepare(ctx: S3Context, entry: ObjectEntry): Promise<{ headers: Record<string, string | number>; range: ByteRange | null }> {
  const part = await partRange(ctx, entry);
  const range = part?.range ?? parseRange(headerValue(ctx.headers, 'range'), entry.size);
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
  if (part) headers['x-amz-mp-parts-count'] = part.count;
  return { headers, range };
}

/** `?partNumber=N`: the bytes of that part (as clients that download by part ask for them). */
async function partRange(ctx: S3Context, entry: ObjectEntry): Promise<{ range: ByteRange; count: number } | null> {
  const value = queryValue(ctx.query, 'partNumber');
  if (value === undefined) return null;
  const n = Number(value);
  if (!/^\d{1,5}$/.test(value) || n < 1 || n > 10_000) throw new S3Error('InvalidArgument', 'Part number must be an integer between 1 and 10000, inclusive', { ArgumentName: 'partNumber', ArgumentValue: value });
  if (headerValue(ctx.headers, 'range') !== undefined) throw new S3Error('InvalidRequest', 'Cannot specify both Range header and partNumber query parameter');
  const part = await partOf(ctx.services, entry, n);
  if (!part) throw new S3Error('InvalidPartNumber', undefined, { PartNumberRequested: value });
  return part;
}
