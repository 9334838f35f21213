// ListObjectsV2 against a reference model (listing-model.ts): prefix, delimiters of any length,
// start-after, continuation tokens at every page size; max-keys up to 1,000 and beyond,
// fetch-owner, encoding-type=url, and keys XML 1.0 cannot carry raw.
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import t from 'tap';
import { forEachBackend } from '../../helpers/catalog.js';
import { failure, rawRequest, s3Env, seedKeys, uniqueName, xmlValues } from '../../helpers/s3.js';
import { CASES, expectedListing, KEYS, type Item } from './listing-model.js';

const decodeUrl = (s: string) => decodeURIComponent(s.replace(/\+/g, ' '));

forEachBackend(t, 'ListObjectsV2', async (t, db) => {
  const env = await s3Env(t, db);
  const { s3 } = env;
  const Bucket = await env.bucket('lv2');
  await seedKeys(env, Bucket, KEYS);

  await t.test('ListObjectsV2_matches_the_model_at_every_page_size', async (t) => {
    for (const c of CASES) {
      const expected = expectedListing(KEYS, c);
      for (const MaxKeys of [1, 1000]) {
        const seen: Item[] = [];
        let token: string | undefined;
        let pages = 0;
        do {
          const page = await s3.send(new ListObjectsV2Command({
            Bucket, MaxKeys, ...(c.prefix ? { Prefix: c.prefix } : {}), ...(c.delimiter ? { Delimiter: c.delimiter } : {}),
            ...(c.after ? { StartAfter: c.after } : {}), ...(token ? { ContinuationToken: token } : {}),
          }));
          const items = [...(page.Contents ?? []).map((o) => `K:${o.Key}`), ...(page.CommonPrefixes ?? []).map((p) => `P:${p.Prefix}`)];
          t.equal(page.KeyCount, items.length);
          if (!(page.KeyCount! <= MaxKeys)) t.fail(`page over max-keys for ${JSON.stringify(c)}`);
          seen.push(...items.sort((a, b) => Buffer.compare(Buffer.from(a.slice(2)), Buffer.from(b.slice(2)))));
          token = page.IsTruncated ? page.NextContinuationToken : undefined;
          if (page.IsTruncated && !token) t.fail('a truncated page without a token');
          pages++;
        } while (token && pages < 100);
        t.same(seen, expected, `${JSON.stringify(c)} max-keys ${MaxKeys}`);
      }
    }
  });

  await t.test('ListObjectsV2_echoes_parameters', async (t) => {
    const page = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: 'a', Delimiter: '/', MaxKeys: 2, StartAfter: 'a' }));
    t.match(page, { Name: Bucket, Prefix: 'a', Delimiter: '/', MaxKeys: 2, StartAfter: 'a', IsTruncated: true, KeyCount: 2 });
    const next = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: 'a', Delimiter: '/', ContinuationToken: page.NextContinuationToken, StartAfter: 'zzz' }));
    t.equal(next.ContinuationToken, page.NextContinuationToken);
    t.ok((next.KeyCount ?? 0) > 0, 'start-after is ignored once a token is given');
  });

  await t.test('ListObjectsV2_max_keys_over_1000_and_zero', async (t) => {
    const big = await env.bucket('lv2big');
    const keys = Array.from({ length: 1001 }, (_, i) => `k/${String(i).padStart(5, '0')}`);
    await seedKeys(env, big, keys);
    for (const MaxKeys of [5000, undefined]) {
      const page = await s3.send(new ListObjectsV2Command({ Bucket: big, ...(MaxKeys ? { MaxKeys } : {}) }));
      t.match(page, { MaxKeys: 1000, KeyCount: 1000, IsTruncated: true }, `max-keys ${MaxKeys}: at most 1,000 a page`);
      const rest = await s3.send(new ListObjectsV2Command({ Bucket: big, ContinuationToken: page.NextContinuationToken }));
      t.same(rest.Contents?.map((c) => c.Key), ['k/01000']);
    }
    const none = await s3.send(new ListObjectsV2Command({ Bucket: big, MaxKeys: 0 }));
    t.match(none, { KeyCount: 0, MaxKeys: 0 });
    t.equal(none.Contents, undefined);
  });

  await t.test('ListObjectsV2_bad_arguments', async (t) => {
    for (const query of [{ 'max-keys': '-1' }, { 'max-keys': 'ten' }, { 'encoding-type': 'base64' }, { 'continuation-token': 'forged!' }] as Array<Record<string, string>>) {
      const res = await rawRequest(env, { path: `/${Bucket}`, query: { 'list-type': '2', ...query } });
      t.equal(res.status, 400, JSON.stringify(query));
      t.same(xmlValues(res.body, 'Code'), ['InvalidArgument']);
    }
    t.match(await failure(s3.send(new ListObjectsV2Command({ Bucket: uniqueName('none') }))), { name: 'NoSuchBucket', status: 404 });
  });

  await t.test('ListObjectsV2_fetch_owner', async (t) => {
    const without = await s3.send(new ListObjectsV2Command({ Bucket, MaxKeys: 1 }));
    t.equal(without.Contents?.[0]?.Owner, undefined);
    const withOwner = await s3.send(new ListObjectsV2Command({ Bucket, MaxKeys: 1, FetchOwner: true }));
    t.ok(withOwner.Contents?.[0]?.Owner?.ID);
    // The same (cached) page again without owners, right after a listing with them.
    const again = await s3.send(new ListObjectsV2Command({ Bucket, MaxKeys: 1 }));
    t.equal(again.Contents?.[0]?.Owner, undefined, 'no owner again after a listing with owners');
    t.equal(again.Contents?.[0]?.Key, without.Contents?.[0]?.Key);
  });

  await t.test('ListObjectsV2_encoding_type_url', async (t) => {
    const res = await rawRequest(env, { path: `/${Bucket}`, query: { 'list-type': '2', 'encoding-type': 'url', prefix: 'ctl\u0001', delimiter: '\t/', 'start-after': 'ctl\u0001\u0002' } });
    t.equal(res.status, 200);
    t.same(xmlValues(res.body, 'EncodingType'), ['url']);
    t.same(xmlValues(res.body, 'Prefix').map(decodeUrl), ['ctl\u0001', 'ctl\u0001\r\t/']);
    t.same(xmlValues(res.body, 'Delimiter').map(decodeUrl), ['\t/']);
    t.same(xmlValues(res.body, 'StartAfter').map(decodeUrl), ['ctl\u0001\u0002']);
    t.notMatch(res.body, /[\u0001\r\t]/, 'no raw control character in the document');
    const all = await rawRequest(env, { path: `/${Bucket}`, query: { 'list-type': '2', 'encoding-type': 'url' } });
    t.same(xmlValues(all.body, 'Key').map(decodeUrl), expectedListing(KEYS, {}).map((i) => i.slice(2)), 'every key decodes back exactly');
    const raw = await rawRequest(env, { path: `/${Bucket}`, query: { 'list-type': '2' } });
    t.same(xmlValues(raw.body, 'Key'), expectedListing(KEYS, {}).map((i) => i.slice(2)), 'the same page unencoded right after');
  });

  await t.test('ListObjectsV2_control_characters_as_references', async (t) => {
    const res = await rawRequest(env, { path: `/${Bucket}`, query: { 'list-type': '2', prefix: 'ctl' } });
    t.match(res.body, /<Key>ctl&#x1;&#xD;&#x9;\/x<\/Key>/, 'written as character references');
    t.same(xmlValues(res.body, 'Key'), ['ctl\u0001\r\t/x']);
    const markup = await rawRequest(env, { path: `/${Bucket}`, query: { 'list-type': '2', prefix: 'amp' } });
    t.same(xmlValues(markup.body, 'Key'), ['amp&<>"\'']);
  });
});
