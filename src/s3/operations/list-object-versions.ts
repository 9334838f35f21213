// ListObjectVersions: every version of each key across history, newest first; a commit that
// deleted a key shows as a delete marker (VersionId `d<commit sequence>`), the latest one when
// nothing was written there since. Markers, versions and common prefixes each count towards
// max-keys; key-marker / version-id-marker resume at any of them (a common prefix as the
// key-marker resumes past everything under it).
import { commonPrefixOf, prefixSuccessor, reads, type Db, type ObjectEntry } from '../../catalog/index.js';
import type { S3Context, S3Response } from '../context.js';
import { quoteEtag } from '../protocol/etag.js';
import { queryValue } from '../protocol/headers.js';
import { encodeIfAsked, parseEncodingType, parseListLimit } from '../protocol/tokens.js';
import { S3Error } from '../s3-error.js';
import { buildXml } from '../xml.js';
import { resolveTarget } from '../target.js';
import { deleteMarkerIdOf, owner, parseAnyVersionId, versionIdOf } from './shared.js';

type Row = ObjectEntry & { endedByDelete: boolean };
type Item = { kind: 'version' | 'marker'; row: Row; latest: boolean } | { kind: 'prefix'; prefix: string };

/** Rows read at a time when a delimiter may make the rest of a read useless. */
const DELIMITED_BATCH = 100;
/** listVersions' position "before every version of a path". */
const BEFORE_ALL = Number.MAX_SAFE_INTEGER;

export async function listObjectVersions(ctx: S3Context): Promise<S3Response> {
  const { target } = await resolveTarget(ctx, 'ListObjects');
  const prefix = queryValue(ctx.query, 'prefix') ?? '';
  const delimiter = queryValue(ctx.query, 'delimiter') ?? '';
  const limit = parseListLimit(queryValue(ctx.query, 'max-keys'));
  const encoding = parseEncodingType(queryValue(ctx.query, 'encoding-type'));
  const keyMarker = queryValue(ctx.query, 'key-marker') ?? '';
  const versionMarker = queryValue(ctx.query, 'version-id-marker');
  if (versionMarker && !keyMarker) throw new S3Error('InvalidArgument', 'A version-id marker cannot be specified without a key marker.', { ArgumentName: 'version-id-marker', ArgumentValue: versionMarker });
  const markerSeq = keyMarker && versionMarker ? parseAnyVersionId(versionMarker)?.seq ?? null : null;
  const items = limit === 0 ? [] : await collect(ctx.services.db, target.repo.id, { prefix, delimiter, keyMarker, markerSeq, want: limit + 1 });
  const page = items.slice(0, limit);
  const truncated = items.length > limit;
  const last = page[page.length - 1];
  const key = (row: Row) => encodeIfAsked(row.path, encoding);
  const listed = (kind: 'version' | 'marker') => page.filter((i): i is Extract<Item, { row: Row }> => i.kind === kind);
  return {
    body: buildXml('ListVersionsResult', {
      Name: ctx.bucket, Prefix: encodeIfAsked(prefix, encoding), KeyMarker: encodeIfAsked(keyMarker, encoding), VersionIdMarker: versionMarker ?? '',
      NextKeyMarker: truncated && last ? encodeIfAsked(last.kind === 'prefix' ? last.prefix : last.row.path, encoding) : undefined,
      NextVersionIdMarker: truncated && last && last.kind !== 'prefix' ? idOf(last) : undefined,
      MaxKeys: limit, Delimiter: delimiter ? encodeIfAsked(delimiter, encoding) : undefined, EncodingType: encoding, IsTruncated: truncated,
      Version: listed('version').map(({ row, latest }) => ({
        Key: key(row), VersionId: versionIdOf(row), IsLatest: latest, LastModified: row.lastModified,
        ETag: quoteEtag(row.etag), Size: row.size, StorageClass: 'STANDARD', Owner: owner(ctx.caller),
      })),
      DeleteMarker: listed('marker').map(({ row, latest }) => ({
        Key: key(row), VersionId: deleteMarkerIdOf(row.toSeq!), IsLatest: latest, LastModified: row.lastModified, Owner: owner(ctx.caller),
      })),
      CommonPrefixes: page.flatMap((i) => (i.kind === 'prefix' ? [{ Prefix: encodeIfAsked(i.prefix, encoding) }] : [])),
    }),
  };
}

const idOf = (item: Extract<Item, { row: Row }>) => (item.kind === 'marker' ? deleteMarkerIdOf(item.row.toSeq!) : versionIdOf(item.row));

interface Walk {
  prefix: string;
  delimiter: string;
  keyMarker: string;
  markerSeq: number | null;
  want: number;
}

/**
 * Up to `want` items in S3's order: by key, newest first, a key under a common prefix rolled
 * up into it. Versions are read in path order from the resume point; meeting a common prefix,
 * the read starts again past everything under it, so a prefix costs one read, not its keys.
 */
async function collect(db: Db, repoId: string, w: Walk): Promise<Item[]> {
  const items: Item[] = [];
  const emit = itemsOf(w.keyMarker, w.markerSeq);
  let at: { path: string; seq: number } | null = { path: w.keyMarker, seq: w.markerSeq ?? -1 };
  if (w.markerSeq === null && commonPrefixOf(w.keyMarker, w.prefix, w.delimiter) === w.keyMarker) at = past(w.keyMarker);
  while (at && items.length < w.want) {
    const limit = w.delimiter ? Math.min(w.want - items.length, DELIMITED_BATCH) : w.want - items.length;
    const rows = await reads.listVersions(db, repoId, { prefix: w.prefix, afterPath: at.path, afterSeq: at.seq, limit });
    const last = rows[rows.length - 1];
    at = rows.length < limit || !last ? null : { path: last.path, seq: last.fromSeq };
    for (const row of rows) {
      const rolledUp = commonPrefixOf(row.path, w.prefix, w.delimiter);
      if (rolledUp !== null) {
        items.push({ kind: 'prefix', prefix: rolledUp });
        at = past(rolledUp);
        break;
      }
      items.push(...emit(row));
    }
  }
  return items;
}

/** The position before every version of every path under `prefix` ends: past all of them. */
function past(prefix: string): { path: string; seq: number } | null {
  const successor = prefixSuccessor(prefix);
  return successor === null ? null : { path: successor, seq: BEFORE_ALL };
}

/**
 * Turns rows (by path, newest first) into items. A row ended by a delete yields its marker (at
 * the delete's sequence) before itself, unless resuming past it. A marker is the latest entry
 * of its key when its row is the key's newest: the first of that key here and not a
 * continuation of the key the previous page ended in (then a newer entry was on that page).
 */
function itemsOf(keyMarker: string, markerSeq: number | null): (row: Row) => Item[] {
  let previousPath: string | null = null;
  return (row) => {
    const continuing = row.path === keyMarker && markerSeq !== null;
    const newest = row.path !== previousPath && !continuing;
    previousPath = row.path;
    const items: Item[] = [];
    if (row.endedByDelete && !(continuing && Number(row.toSeq) >= markerSeq!)) items.push({ kind: 'marker', row, latest: newest });
    items.push({ kind: 'version', row, latest: row.toSeq === null });
    return items;
  };
}
