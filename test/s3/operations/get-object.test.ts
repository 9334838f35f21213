// GetObject and HeadObject: single ranges (206, 416 InvalidRange), conditional reads (304 and
// 412), response-* overrides (refused anonymously), versionId, the object ACL, and S3's errors
// (HEAD without body).
import { GetObjectAclCommand, GetObjectCommand, HeadObjectCommand, PutObjectAclCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import t from 'tap';
import { forEachBackend } from '../../helpers/catalog.js';
import { failure, objectPath, rawRequest, s3Env, uniqueName, xmlValues } from '../../helpers/s3.js';

const BODY = '0123456789abcdefghij';

forEachBackend(t, 'GetObject and HeadObject', async (t, db) => {
  const env = await s3Env(t, db);
  const { s3 } = env;
  const Bucket = await env.bucket('get');
  const first = await s3.send(new PutObjectCommand({ Bucket, Key: 'r.txt', Body: BODY, ContentType: 'text/plain' }));
  await s3.send(new PutObjectCommand({ Bucket, Key: 'empty', Body: '' }));
  const path = objectPath(Bucket, 'r.txt');
  const head = await s3.send(new HeadObjectCommand({ Bucket, Key: 'r.txt' }));
  const lastModified = head.LastModified!;

  await t.test('GetObject_range_206', async (t) => {
    for (const [Range, expected, contentRange] of [
      ['bytes=0-4', '01234', 'bytes 0-4/20'], ['bytes=15-', 'fghij', 'bytes 15-19/20'], ['bytes=-3', 'hij', 'bytes 17-19/20'],
      ['bytes=18-100', 'ij', 'bytes 18-19/20'],
    ] as const) {
      const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'r.txt', Range }));
      t.equal(got.$metadata.httpStatusCode, 206, Range);
      t.equal(await got.Body!.transformToString(), expected);
      t.equal(got.ContentRange, contentRange);
      t.equal(got.ContentLength, expected.length);
    }
    const ranged = await s3.send(new HeadObjectCommand({ Bucket, Key: 'r.txt', Range: 'bytes=2-3' }));
    t.match(ranged, { ContentLength: 2, ContentRange: 'bytes 2-3/20' }, 'HEAD with a Range');
  });

  await t.test('GetObject_part_number_single_part_object', async (t) => {
    const whole = await s3.send(new GetObjectCommand({ Bucket, Key: 'r.txt', PartNumber: 1 }));
    t.equal(await whole.Body!.transformToString(), BODY, 'a single PUT is part 1');
    t.equal(whole.PartsCount, 1);
    t.match(await failure(s3.send(new GetObjectCommand({ Bucket, Key: 'r.txt', PartNumber: 2 }))), { name: 'InvalidPartNumber', status: 416 });
    t.match(await failure(s3.send(new GetObjectCommand({ Bucket, Key: 'r.txt', PartNumber: 1, Range: 'bytes=0-1' }))), { name: 'InvalidRequest', status: 400 });
    const bad = await rawRequest(env, { method: 'GET', path, query: { partNumber: '0' } });
    t.same(xmlValues(bad.body, 'Code'), ['InvalidArgument']);
  });

  await t.test('GetObject_range_ignored_when_invalid_or_multiple', async (t) => {
    for (const Range of ['bytes=5-2', 'bytes=0-1,4-5', 'items=0-1']) {
      const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'r.txt', Range }));
      t.equal(got.$metadata.httpStatusCode, 200, Range);
      t.equal(await got.Body!.transformToString(), BODY);
    }
  });

  await t.test('GetObject_range_not_satisfiable_416', async (t) => {
    for (const [key, Range] of [['r.txt', 'bytes=20-'], ['r.txt', 'bytes=-0'], ['empty', 'bytes=0-']] as const) {
      const res = await rawRequest(env, { path: objectPath(Bucket, key), headers: { range: Range } });
      t.equal(res.status, 416, `${key} ${Range}`);
      t.same(xmlValues(res.body, 'Code'), ['InvalidRange']);
    }
    t.match(await failure(s3.send(new HeadObjectCommand({ Bucket, Key: 'r.txt', Range: 'bytes=50-60' }))), { status: 416 });
  });

  await t.test('GetObject_if_match_and_if_none_match', async (t) => {
    t.equal((await s3.send(new GetObjectCommand({ Bucket, Key: 'r.txt', IfMatch: first.ETag }))).$metadata.httpStatusCode, 200);
    t.match(await failure(s3.send(new GetObjectCommand({ Bucket, Key: 'r.txt', IfMatch: '"0000"' }))), { name: 'PreconditionFailed', status: 412 });
    t.equal((await s3.send(new GetObjectCommand({ Bucket, Key: 'r.txt', IfNoneMatch: '"0000"' }))).$metadata.httpStatusCode, 200);
    const notModified = await rawRequest(env, { path, headers: { 'if-none-match': first.ETag! } });
    t.equal(notModified.status, 304);
    t.equal(notModified.body, '', '304 carries no body');
    t.equal(notModified.headers.etag, first.ETag, 'but the validators');
    t.match(await failure(s3.send(new HeadObjectCommand({ Bucket, Key: 'r.txt', IfNoneMatch: first.ETag }))), { status: 304 });
    t.match(await failure(s3.send(new HeadObjectCommand({ Bucket, Key: 'r.txt', IfMatch: '"0000"' }))), { status: 412 });
  });

  await t.test('GetObject_if_modified_since_and_if_unmodified_since', async (t) => {
    const hourBefore = new Date(lastModified.getTime() - 3_600_000);
    const hourAfter = new Date(lastModified.getTime() + 3_600_000);
    t.equal((await s3.send(new GetObjectCommand({ Bucket, Key: 'r.txt', IfModifiedSince: hourBefore }))).$metadata.httpStatusCode, 200);
    t.match(await failure(s3.send(new GetObjectCommand({ Bucket, Key: 'r.txt', IfModifiedSince: hourAfter }))), { status: 304 });
    t.match(await failure(s3.send(new GetObjectCommand({ Bucket, Key: 'r.txt', IfModifiedSince: lastModified }))), { status: 304 }, 'not modified since its own date');
    t.equal((await s3.send(new GetObjectCommand({ Bucket, Key: 'r.txt', IfUnmodifiedSince: hourAfter }))).$metadata.httpStatusCode, 200);
    t.match(await failure(s3.send(new GetObjectCommand({ Bucket, Key: 'r.txt', IfUnmodifiedSince: hourBefore }))), { name: 'PreconditionFailed', status: 412 });
    t.equal((await s3.send(new GetObjectCommand({ Bucket, Key: 'r.txt', IfMatch: first.ETag, IfUnmodifiedSince: hourBefore }))).$metadata.httpStatusCode, 200,
      'If-Match true wins over If-Unmodified-Since false');
    t.match(await failure(s3.send(new GetObjectCommand({ Bucket, Key: 'r.txt', IfNoneMatch: first.ETag, IfModifiedSince: hourBefore }))), { status: 304 },
      'If-None-Match false wins over If-Modified-Since true');
  });

  await t.test('GetObject_response_overrides', async (t) => {
    const got = await s3.send(new GetObjectCommand({
      Bucket, Key: 'r.txt', ResponseContentType: 'application/x-test', ResponseContentDisposition: 'attachment; filename="x.txt"',
      ResponseContentEncoding: 'identity', ResponseContentLanguage: 'fr', ResponseCacheControl: 'no-store', ResponseExpires: new Date('2030-01-01T00:00:00Z'),
    }));
    t.match(got, {
      ContentType: 'application/x-test', ContentDisposition: 'attachment; filename="x.txt"', ContentEncoding: 'identity',
      ContentLanguage: 'fr', CacheControl: 'no-store',
    });
    t.equal(got.Expires?.toISOString(), '2030-01-01T00:00:00.000Z');
    t.equal(await got.Body!.transformToString(), BODY);
    t.equal((await s3.send(new HeadObjectCommand({ Bucket, Key: 'r.txt', ResponseContentType: 'a/b' }))).ContentType, 'a/b', 'HEAD too');
  });

  await t.test('GetObject_response_overrides_anonymous_refused', async (t) => {
    const open = uniqueName('open');
    await env.app.inject({ method: 'POST', url: '/api/v1/organizations/default/repositories', headers: env.auth, payload: { name: open, visibility: 'public' } });
    await s3.send(new PutObjectCommand({ Bucket: open, Key: 'k', Body: 'x' }));
    t.equal((await rawRequest(env, { path: `/${open}/k`, creds: null })).status, 200);
    const res = await rawRequest(env, { path: `/${open}/k`, query: { 'response-content-type': 'text/html' }, creds: null });
    t.equal(res.status, 400);
    t.same(xmlValues(res.body, 'Code'), ['InvalidRequest']);
  });

  await t.test('GetObject_version_id', async (t) => {
    const Key = 'versioned';
    const v1 = await s3.send(new PutObjectCommand({ Bucket, Key, Body: 'one' }));
    const v2 = await s3.send(new PutObjectCommand({ Bucket, Key, Body: 'two' }));
    t.equal(await (await s3.send(new GetObjectCommand({ Bucket, Key, VersionId: v1.VersionId }))).Body!.transformToString(), 'one');
    const latest = await s3.send(new GetObjectCommand({ Bucket, Key }));
    t.equal(latest.VersionId, v2.VersionId);
    t.equal((await s3.send(new HeadObjectCommand({ Bucket, Key, VersionId: v1.VersionId }))).ETag, v1.ETag, 'HEAD a version');
    for (const VersionId of ['v999999', 'garbage']) {
      t.match(await failure(s3.send(new GetObjectCommand({ Bucket, Key, VersionId }))), { name: 'NoSuchVersion', status: 404 }, VersionId);
    }
    t.match(await failure(s3.send(new GetObjectCommand({ Bucket, Key: 'r.txt', VersionId: v1.VersionId }))), { name: 'NoSuchVersion' }, "another key's version");
  });

  await t.test('GetObjectAcl_owner_full_control_PutObjectAcl_accepted', async (t) => {
    const acl = await s3.send(new GetObjectAclCommand({ Bucket, Key: 'r.txt' }));
    t.same(acl.Grants?.map((g) => [g.Grantee?.Type, g.Grantee?.ID, g.Permission]), [['CanonicalUser', acl.Owner?.ID, 'FULL_CONTROL']]);
    t.ok(acl.Owner?.ID);
    await s3.send(new PutObjectAclCommand({ Bucket, Key: 'r.txt', ACL: 'public-read' }));
    t.match(await failure(s3.send(new PutObjectAclCommand({ Bucket, Key: 'r.txt', ACL: 'nonsense' as 'private' }))), { name: 'InvalidArgument', status: 400 });
    t.match(await failure(s3.send(new GetObjectAclCommand({ Bucket, Key: 'no-such' }))), { name: 'NoSuchKey', status: 404 });
    t.match(await failure(s3.send(new PutObjectAclCommand({ Bucket, Key: 'no-such', ACL: 'private' }))), { name: 'NoSuchKey', status: 404 });
  });

  await t.test('GetObject_errors', async (t) => {
    const missing = await rawRequest(env, { path: objectPath(Bucket, 'no/such key') });
    t.equal(missing.status, 404);
    t.same(xmlValues(missing.body, 'Code'), ['NoSuchKey']);
    t.same(xmlValues(missing.body, 'Key'), ['no/such key']);
    const noBucket = await rawRequest(env, { path: `/${uniqueName('gone')}/k` });
    t.same([noBucket.status, xmlValues(noBucket.body, 'Code')], [404, ['NoSuchBucket']]);
    for (const p of [objectPath(Bucket, 'no/such key'), `/${uniqueName('gone')}/k`]) {
      const res = await rawRequest(env, { method: 'HEAD', path: p });
      t.equal(res.status, 404, `HEAD ${p}`);
      t.equal(res.body, '', 'without a body');
      t.ok(res.headers['x-amz-request-id'], 'with a request id');
    }
  });
});
