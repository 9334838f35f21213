// ListObjectVersions: every version of each key across history; a commit that deleted a key
// shows as a delete marker.
import { reads } from '../../catalog/index.js';
import type { S3Context, S3Response } from '../context.js';
import { quoteEtag } from '../protocol/etag.js';
import { queryValue } from '../protocol/headers.js';
import { encodeIfAsked, parseEncodingType, parseListLimit } from '../protocol/tokens.js';
import { buildXml } from '../xml.js';
import { resolveTarget } from '../target.js';
import { owner, versionIdOf } from './shared.js';

/** Every version of each key across history; a commit that deleted a key shows as a delete marker. */
export async function listObjectVersions(ctx: S3Context): Promise<S3Response> {
  const { target } = await resolveTarget(ctx, 'ListObjects');
  const prefix = queryValue(ctx.query, 'prefix') ?? '';
  const limit = parseListLimit(queryValue(ctx.query, 'max-keys'));
  const encoding = parseEncodingType(queryValue(ctx.query, 'encoding-type'));
  const keyMarker = queryValue(ctx.query, 'key-marker') ?? '';
  const versionMarker = queryValue(ctx.query, 'version-id-marker');
  const afterSeq = versionMarker && /^v\d+$/.test(versionMarker) ? Number(versionMarker.slice(1)) : undefined;
  const rows = await reads.listVersions(ctx.services.db, target.repo.id, {
    prefix, afterPath: keyMarker, ...(afterSeq !== undefined ? { afterSeq } : { afterSeq: -1 }), limit: limit + 1,
  });
  const page = rows.slice(0, limit);
  const versions: object[] = [];
  const markers: object[] = [];
  for (const e of page) {
    if (e.endedByDelete) {
      // The version ended without a successor: that commit deleted the key.
      markers.push({ Key: encodeIfAsked(e.path, encoding), VersionId: `d${e.toSeq}`, IsLatest: false, LastModified: e.lastModified, Owner: owner(ctx.caller) });
    }
    versions.push({
      Key: encodeIfAsked(e.path, encoding), VersionId: versionIdOf(e), IsLatest: e.toSeq === null, LastModified: e.lastModified,
      ETag: quoteEtag(e.etag), Size: e.size, StorageClass: 'STANDARD', Owner: owner(ctx.caller),
    });
  }
  const last = page[page.length - 1];
  const truncated = rows.length > limit;
  return {
    body: buildXml('ListVersionsResult', {
      Name: ctx.bucket, Prefix: encodeIfAsked(prefix, encoding), KeyMarker: keyMarker, VersionIdMarker: versionMarker ?? '',
      NextKeyMarker: truncated && last ? encodeIfAsked(last.path, encoding) : undefined,
      NextVersionIdMarker: truncated && last ? versionIdOf(last) : undefined,
      MaxKeys: limit, EncodingType: encoding, IsTruncated: truncated, Version: versions, DeleteMarker: markers,
    }),
  };
}
