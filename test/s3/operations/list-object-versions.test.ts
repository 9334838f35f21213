// Versioning reads over history: GetBucketVersioning answers Enabled, PutBucketVersioning
// accepts Enabled and refuses Suspended, ListObjectVersions lists every version of each key
// with IsLatest and a delete marker where a commit deleted the key, paginated by key-marker and
// version-id-marker; a delete marker's version reads as S3 answers (405).
import {
  DeleteObjectCommand, GetBucketVersioningCommand, GetObjectCommand, HeadObjectCommand, ListObjectVersionsCommand, PutBucketVersioningCommand,
  PutObjectCommand, type ListObjectVersionsCommandOutput,
} from '@aws-sdk/client-s3';
import t from 'tap';
import { forEachBackend } from '../../helpers/catalog.js';
import { failure, objectPath, rawRequest, repoOf, s3Env, xmlValues } from '../../helpers/s3.js';

interface Row { key: string; id: string; marker: boolean; latest: boolean }

const seqOf = (id: string) => Number(id.slice(1));
/** S3's order: by key, then newest first, delete markers among the versions. */
const order = (a: Row, b: Row) => (a.key < b.key ? -1 : a.key > b.key ? 1 : seqOf(b.id) - seqOf(a.id));

forEachBackend(t, 'versioning', async (t, db) => {
  const env = await s3Env(t, db);
  const { s3 } = env;
  const Bucket = await env.bucket('ver');
  const put = async (Key: string) => (await s3.send(new PutObjectCommand({ Bucket, Key, Body: `${Key}@${Date.now()}` }))).VersionId!;
  const del = async (Key: string) => {
    await s3.send(new DeleteObjectCommand({ Bucket, Key }));
    return `d${(await repoOf(env, Bucket)).headSeq}`;
  };
  // k: v1, v2, deleted, v4 (latest); gone: one version, then deleted (the marker is latest); live: one version.
  const k1 = await put('k');
  const k2 = await put('k');
  const kDeleted = await del('k');
  const k4 = await put('k');
  const gone = await put('gone');
  const goneDeleted = await del('gone');
  const live = await put('live');
  const expected: Row[] = [
    { key: 'gone', id: goneDeleted, marker: true, latest: true }, { key: 'gone', id: gone, marker: false, latest: false },
    { key: 'k', id: k4, marker: false, latest: true }, { key: 'k', id: kDeleted, marker: true, latest: false },
    { key: 'k', id: k2, marker: false, latest: false }, { key: 'k', id: k1, marker: false, latest: false },
    { key: 'live', id: live, marker: false, latest: true },
  ];
  const rowsOf = (page: ListObjectVersionsCommandOutput): Row[] => [
    ...(page.Versions ?? []).map((v) => ({ key: v.Key!, id: v.VersionId!, marker: false, latest: v.IsLatest! })),
    ...(page.DeleteMarkers ?? []).map((m) => ({ key: m.Key!, id: m.VersionId!, marker: true, latest: m.IsLatest! })),
  ].sort(order);

  await t.test('GetBucketVersioning_enabled', async (t) => {
    t.equal((await s3.send(new GetBucketVersioningCommand({ Bucket }))).Status, 'Enabled');
  });

  await t.test('PutBucketVersioning_enabled_accepted_suspended_refused', async (t) => {
    await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }));
    t.match(await failure(s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Suspended' } }))),
      { name: 'InvalidBucketState', status: 409 });
    t.equal((await s3.send(new GetBucketVersioningCommand({ Bucket }))).Status, 'Enabled');
  });

  await t.test('ListObjectVersions_is_latest_and_delete_markers', async (t) => {
    const page = await s3.send(new ListObjectVersionsCommand({ Bucket }));
    t.same(rowsOf(page), expected);
    t.equal(page.IsTruncated, false);
    t.same((await s3.send(new ListObjectVersionsCommand({ Bucket, Prefix: 'g' }))).Versions?.map((v) => v.VersionId), [gone], 'prefix');
  });

  await t.test('ListObjectVersions_pagination_key_marker_version_id_marker', async (t) => {
    for (const MaxKeys of [1, 2, 3]) {
      const seen: Row[] = [];
      let markers: { KeyMarker?: string; VersionIdMarker?: string } = {};
      for (let pages = 0; pages < 20; pages++) {
        const page = await s3.send(new ListObjectVersionsCommand({ Bucket, MaxKeys, ...markers }));
        const rows = rowsOf(page);
        if (rows.length > MaxKeys) t.fail(`${rows.length} entries on a page of max-keys ${MaxKeys}`);
        seen.push(...rows);
        if (!page.IsTruncated) break;
        markers = { KeyMarker: page.NextKeyMarker!, VersionIdMarker: page.NextVersionIdMarker! };
      }
      t.same(seen, expected, `max-keys ${MaxKeys}`);
    }
    const afterK = await s3.send(new ListObjectVersionsCommand({ Bucket, KeyMarker: 'k' }));
    t.same(rowsOf(afterK).map((r) => r.key), ['live'], 'a key-marker alone starts after every version of that key');
  });

  await t.test('ListObjectVersions_delimiter_rolls_up_common_prefixes', async (t) => {
    const Bucket = await env.bucket('ver-delim');
    for (const Key of ['a/1', 'a/2', 'a/2', 'a/sub/3', 'b/4', 'c', 'c', 'd/5', 'e f/6']) await s3.send(new PutObjectCommand({ Bucket, Key, Body: Key }));
    await s3.send(new DeleteObjectCommand({ Bucket, Key: 'd/5' }));
    /** A page's items as S3 orders them: by key (a common prefix where its keys would be), newest first. */
    const itemsOf = (page: ListObjectVersionsCommandOutput) => [
      ...(page.Versions ?? []).map((v) => ({ key: v.Key!, id: v.VersionId! })),
      ...(page.DeleteMarkers ?? []).map((m) => ({ key: m.Key!, id: m.VersionId! })),
      ...(page.CommonPrefixes ?? []).map((c) => ({ key: c.Prefix!, id: 'prefix' })),
    ].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : seqOf(b.id) - seqOf(a.id))).map(({ key, id }) => `${key} ${id}`);
    const top = await s3.send(new ListObjectVersionsCommand({ Bucket, Delimiter: '/' }));
    t.same((top.CommonPrefixes ?? []).map((c) => c.Prefix), ['a/', 'b/', 'd/', 'e f/'], 'one common prefix per group, a deleted key\'s included');
    t.same((top.Versions ?? []).map((v) => v.Key), ['c', 'c'], 'the keys with no delimiter past the prefix, every version');
    t.equal(top.Delimiter, '/');
    t.same(top.DeleteMarkers ?? [], []);
    const inA = await s3.send(new ListObjectVersionsCommand({ Bucket, Prefix: 'a/', Delimiter: '/' }));
    t.same((inA.Versions ?? []).map((v) => v.Key), ['a/1', 'a/2', 'a/2']);
    t.same((inA.CommonPrefixes ?? []).map((c) => c.Prefix), ['a/sub/']);
    const all = itemsOf(top);
    t.equal(all.length, 6);
    for (const MaxKeys of [1, 2, 3]) {
      const seen: string[] = [];
      let markers: { KeyMarker?: string; VersionIdMarker?: string } = {};
      for (let pages = 0; pages < 20; pages++) {
        const page = await s3.send(new ListObjectVersionsCommand({ Bucket, Delimiter: '/', MaxKeys, ...markers }));
        const items = itemsOf(page);
        if (items.length > MaxKeys) t.fail(`${items.length} items on a page of max-keys ${MaxKeys}`);
        seen.push(...items);
        if (!page.IsTruncated) break;
        markers = { KeyMarker: page.NextKeyMarker!, ...(page.NextVersionIdMarker ? { VersionIdMarker: page.NextVersionIdMarker } : {}) };
      }
      t.same(seen, all, `max-keys ${MaxKeys}: every item once, a common prefix counting as one`);
    }
    const pastA = await s3.send(new ListObjectVersionsCommand({ Bucket, Delimiter: '/', KeyMarker: 'a/' }));
    t.same((pastA.CommonPrefixes ?? []).map((c) => c.Prefix), ['b/', 'd/', 'e f/'], 'a common prefix as the key-marker resumes past all of it');
    const encoded = await rawRequest(env, { path: `/${Bucket}`, query: { versions: '', delimiter: ' ', prefix: 'e', 'encoding-type': 'url' } });
    t.same(xmlValues(encoded.body, 'Prefix'), ['e', 'e+'], 'the prefix and a common prefix ending in the delimiter, URL-encoded');
    t.same(xmlValues(encoded.body, 'Delimiter'), ['+']);
  });

  await t.test('ListObjectVersions_version_reads', async (t) => {
    for (const [id, present] of [[k1, true], [k2, true], [k4, true], [gone, true]] as const) {
      t.equal((await s3.send(new HeadObjectCommand({ Bucket, Key: id === gone ? 'gone' : 'k', VersionId: id }))).VersionId, id, `HEAD ${id}: ${present}`);
    }
    const marker = await rawRequest(env, { path: objectPath(Bucket, 'k'), query: { versionId: kDeleted } });
    t.equal(marker.status, 405, 'GET of a delete marker version');
    t.same(xmlValues(marker.body, 'Code'), ['MethodNotAllowed']);
    t.equal(marker.headers['x-amz-delete-marker'], 'true');
    t.match(await failure(s3.send(new HeadObjectCommand({ Bucket, Key: 'gone', VersionId: goneDeleted }))), { status: 405 });
    t.match(await failure(s3.send(new GetObjectCommand({ Bucket, Key: 'live', VersionId: kDeleted }))), { name: 'NoSuchVersion', status: 404 },
      "another key's delete marker is no version of this one");
  });
});
