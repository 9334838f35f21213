// ListObjects (v1) against the reference model: marker paging the way clients do it (NextMarker
// with a delimiter, the last key without), max-keys, Owner, encoding-type=url of the markers.
import { ListObjectsCommand } from '@aws-sdk/client-s3';
import t from 'tap';
import { forEachBackend } from '../../helpers/catalog.js';
import { failure, rawRequest, s3Env, seedKeys, uniqueName, xmlValues } from '../../helpers/s3.js';
import { byUtf8, CASES, expectedListing, KEYS, type Item } from './listing-model.js';

const decodeUrl = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));

forEachBackend(t, 'ListObjects v1', async (t, db) => {
  const env = await s3Env(t, db);
  const { s3 } = env;
  const Bucket = await env.bucket('lv1');
  await seedKeys(env, Bucket, KEYS);

  await t.test('ListObjects_matches_the_model_paging_by_marker', async (t) => {
    for (const c of CASES) {
      const expected = expectedListing(KEYS, c);
      for (const MaxKeys of [2, 1000]) {
        const seen: Item[] = [];
        let marker = c.after;
        let pages = 0;
        for (;;) {
          const page = await s3.send(new ListObjectsCommand({
            Bucket, MaxKeys, ...(c.prefix ? { Prefix: c.prefix } : {}), ...(c.delimiter ? { Delimiter: c.delimiter } : {}), ...(marker ? { Marker: marker } : {}),
          }));
          const items = [...(page.Contents ?? []).map((o) => `K:${o.Key}`), ...(page.CommonPrefixes ?? []).map((p) => `P:${p.Prefix}`)]
            .sort((a, b) => byUtf8(a.slice(2), b.slice(2)));
          seen.push(...items);
          if (items.length > MaxKeys) t.fail('a page over max-keys');
          if (!page.IsTruncated || ++pages >= 100) break;
          // As botocore and the SDKs page: NextMarker when there is one, else the last key.
          if (c.delimiter && page.NextMarker === undefined) t.fail('a truncated delimited page without NextMarker');
          marker = page.NextMarker ?? items[items.length - 1]!.slice(2);
        }
        t.same(seen, expected, `${JSON.stringify(c)} max-keys ${MaxKeys}`);
      }
    }
  });

  await t.test('ListObjects_next_marker_only_with_a_delimiter', async (t) => {
    const flat = await s3.send(new ListObjectsCommand({ Bucket, MaxKeys: 2 }));
    t.match(flat, { IsTruncated: true, NextMarker: undefined, MaxKeys: 2 });
    const delimited = await s3.send(new ListObjectsCommand({ Bucket, MaxKeys: 5, Delimiter: '/' })); // a, a--b--c, a--d, a-x, a/
    t.equal(delimited.NextMarker, 'a/', 'a common prefix can be the NextMarker');
    const after = await s3.send(new ListObjectsCommand({ Bucket, MaxKeys: 2, Delimiter: '/', Marker: 'a/' }));
    t.notOk(after.CommonPrefixes?.some((p) => p.Prefix === 'a/'), 'resuming from it skips the whole prefix');
    t.equal(after.Marker, 'a/');
  });

  await t.test('ListObjects_owner_always_present', async (t) => {
    const page = await s3.send(new ListObjectsCommand({ Bucket, MaxKeys: 2 }));
    t.ok(page.Contents?.every((c) => c.Owner?.ID));
  });

  await t.test('ListObjects_max_keys_over_1000', async (t) => {
    const big = await env.bucket('lv1big');
    await seedKeys(env, big, Array.from({ length: 1001 }, (_, i) => `k${String(i).padStart(5, '0')}`));
    const page = await s3.send(new ListObjectsCommand({ Bucket: big, MaxKeys: 2000 }));
    t.match(page, { MaxKeys: 1000, IsTruncated: true });
    t.equal(page.Contents?.length, 1000);
    const rest = await s3.send(new ListObjectsCommand({ Bucket: big, Marker: page.Contents![999]!.Key }));
    t.same(rest.Contents?.map((c) => c.Key), ['k01000']);
  });

  await t.test('ListObjects_encoding_type_url', async (t) => {
    const res = await rawRequest(env, { path: `/${Bucket}`, query: { 'encoding-type': 'url', marker: 'amp&', delimiter: '/', 'max-keys': '2' } });
    t.equal(res.status, 200);
    t.same(xmlValues(res.body, 'Marker').map(decodeUrl), ['amp&']);
    t.match(xmlValues(res.body, 'Marker')[0], /^amp%26$/);
    const next = xmlValues(res.body, 'NextMarker');
    t.equal(next.length, 1);
    const again = await rawRequest(env, { path: `/${Bucket}`, query: { 'encoding-type': 'url', marker: decodeUrl(next[0]!), delimiter: '/', 'max-keys': '1000' } });
    const all = expectedListing(KEYS, { delimiter: '/', after: 'amp&' });
    const got = [...xmlValues(res.body, 'Key'), ...xmlValues(again.body, 'Key')].map(decodeUrl);
    t.same(got, all.filter((i) => i.startsWith('K:')).map((i) => i.slice(2)), 'keys decode back, across the encoded NextMarker');
  });

  await t.test('ListObjects_no_such_bucket', async (t) => {
    t.match(await failure(s3.send(new ListObjectsCommand({ Bucket: uniqueName('none') }))), { name: 'NoSuchBucket', status: 404 });
  });
});
