// ListObjectVersions: every version of each key across history, newest first; a commit that
// deleted a key shows as a delete marker (VersionId `d<commit sequence>`), the latest one when
// nothing was written there since. Markers and versions both count towards max-keys, and
// key-marker / version-id-marker resume at either.
import { reads, type ObjectEntry } from '../../catalog/index.js';
import type { S3Context, S3Response } from '../context.js';
import { quoteEtag } from '../protocol/etag.js';
import { queryValue } from '../protocol/headers.js';
import { encodeIfAsked, parseEncodingType, parseListLimit } from '../protocol/tokens.js';
import { S3Error } from '../s3-error.js';
import { buildXml } from '../xml.js';
import { resolveTarget } from '../target.js';
import { deleteMarkerIdOf, owner, parseAnyVersionId, versionIdOf } from './shared.js';

type Row = ObjectEntry & { endedByDelete: boolean };
type Item = { kind: 'version' | 'marker'; row: Row; latest: boolean };

export async function listObjectVersions(ctx: S3Context): Promise<S3Response> {
  const { target } = await resolveTarget(ctx, 'ListObjects');
  const prefix = queryValue(ctx.query, 'prefix') ?? '';
  const limit = parseListLimit(queryValue(ctx.query, 'max-keys'));
  const encoding = parseEncodingType(queryValue(ctx.query, 'encoding-type'));
  const keyMarker = queryValue(ctx.query, 'key-marker') ?? '';
  const versionMarker = queryValue(ctx.query, 'version-id-marker');
  if (versionMarker && !keyMarker) throw new S3Error('InvalidArgument', 'A version-id marker cannot be specified without a key marker.', { ArgumentName: 'version-id-marker', ArgumentValue: versionMarker });
  // Resuming at (key, seq): only what sorts after it, i.e. older entries of that key.
  const markerSeq = keyMarker && versionMarker ? parseAnyVersionId(versionMarker)?.seq ?? null : null;
  const rows = limit === 0 ? [] : await reads.listVersions(ctx.services.db, target.repo.id, {
    prefix, afterPath: keyMarker, afterSeq: markerSeq ?? -1, limit: limit + 1,
  });
  const items = itemsOf(rows, keyMarker, markerSeq);
  const page = items.slice(0, limit);
  const truncated = items.length > limit;
  const last = page[page.length - 1];
  const key = (row: Row) => encodeIfAsked(row.path, encoding);
  return {
    body: buildXml('ListVersionsResult', {
      Name: ctx.bucket, Prefix: encodeIfAsked(prefix, encoding), KeyMarker: encodeIfAsked(keyMarker, encoding), VersionIdMarker: versionMarker ?? '',
      NextKeyMarker: truncated && last ? key(last.row) : undefined,
      NextVersionIdMarker: truncated && last ? idOf(last) : undefined,
      MaxKeys: limit, EncodingType: encoding, IsTruncated: truncated,
      Version: page.filter((i) => i.kind === 'version').map(({ row, latest }) => ({
        Key: key(row), VersionId: versionIdOf(row), IsLatest: latest, LastModified: row.lastModified,
        ETag: quoteEtag(row.etag), Size: row.size, StorageClass: 'STANDARD', Owner: owner(ctx.caller),
      })),
      DeleteMarker: page.filter((i) => i.kind === 'marker').map(({ row, latest }) => ({
        Key: key(row), VersionId: idOf({ kind: 'marker', row }), IsLatest: latest, LastModified: row.lastModified, Owner: owner(ctx.caller),
      })),
    }),
  };
}

const idOf = (item: Pick<Item, 'kind' | 'row'>) => (item.kind === 'marker' ? deleteMarkerIdOf(item.row.toSeq!) : versionIdOf(item.row));

/**
 * Rows come by path, newest first. A row ended by a delete yields its marker (at the delete's
 * sequence) before itself, unless resuming past it. A marker is the latest entry of its key when
 * its row is the key's newest: the first of that key here and not a continuation of the key
 * the previous page ended in (then a newer entry was on that page).
 */
function itemsOf(rows: Row[], keyMarker: string, markerSeq: number | null): Item[] {
  const items: Item[] = [];
  rows.forEach((row, i) => {
    const continuing = row.path === keyMarker && markerSeq !== null;
    const newest = (i === 0 || rows[i - 1]!.path !== row.path) && !continuing;
    if (row.endedByDelete && !(continuing && Number(row.toSeq) >= markerSeq!)) items.push({ kind: 'marker', row, latest: newest });
    items.push({ kind: 'version', row, latest: row.toSeq === null });
  });
  return items;
}
