// What every S3 response carries: x-amz-request-id and x-amz-id-2 (errors too, the id repeated
// in the XML), no body on HEAD errors and 304; S3's codes for methods and sub-resources the
// gateway lacks, and for keys too long; keys of any UTF-8 through every operation.
import {
  DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand,
} from '@aws-sdk/client-s3';
import t from 'tap';
import { forEachBackend } from '../helpers/catalog.js';
import { failure, objectPath, rawRequest, s3Env, uniqueName, xmlValues, type RawRequest } from '../helpers/s3.js';

const KEYS = [
  'emoji 😀/🚀.txt', 'combining e\u0301', 'rtl עברית/نص', '日本語/ファイル', 'double//slash', '/leading-slash', 'dir/', 'q?mark#hash%25pct',
  "sdk's !*() ~", 'ctl \u0001\u001f\u007f', 'tab\tand\nnewline\r', 'amp&lt;<>"',
];

forEachBackend(t, 'the S3 surface', async (t, db) => {
  const env = await s3Env(t, db);
  const { s3 } = env;
  const Bucket = await env.bucket('surface');
  await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'x' }));
  const etag = (await s3.send(new HeadObjectCommand({ Bucket, Key: 'k' }))).ETag!;

  await t.test('RequestIds_on_every_response', async (t) => {
    const cases: Array<[string, RawRequest, number]> = [
      ['GET object', { path: `/${Bucket}/k` }, 200],
      ['list', { path: `/${Bucket}`, query: { 'list-type': '2' } }, 200],
      ['PUT', { method: 'PUT', path: `/${Bucket}/new`, body: 'y' }, 200],
      ['304', { path: `/${Bucket}/k`, headers: { 'if-none-match': etag } }, 304],
      ['NoSuchKey', { path: `/${Bucket}/missing` }, 404],
      ['HEAD NoSuchKey', { method: 'HEAD', path: `/${Bucket}/missing` }, 404],
      ['NoSuchBucket', { path: `/${uniqueName('none')}` }, 404],
      ['anonymous', { path: `/${Bucket}/k`, creds: null }, 403],
      ['bad signature', { path: `/${Bucket}/k`, creds: { ...env.creds, secretAccessKey: 'wrong' } }, 403],
      ['NotImplemented', { path: `/${Bucket}`, query: { cors: '' } }, 501],
      ['MethodNotAllowed', { method: 'POST', path: '/' }, 405],
    ];
    for (const [name, req, status] of cases) {
      const res = await rawRequest(env, req);
      t.equal(res.status, status, name);
      t.match(res.headers['x-amz-request-id'], /^[0-9A-F]{16}$/, `${name}: x-amz-request-id`);
      t.ok(res.headers['x-amz-id-2'], `${name}: x-amz-id-2`);
      if (status >= 400 && req.method !== 'HEAD') {
        t.same(xmlValues(res.body, 'RequestId'), [res.headers['x-amz-request-id']], `${name}: the same id in the error`);
        t.equal(res.headers['content-type'], 'application/xml');
      }
      if (req.method === 'HEAD' || status === 304) t.equal(res.body, '', `${name}: no body`);
    }
  });

  await t.test('Errors_name_the_resource', async (t) => {
    const missing = await rawRequest(env, { path: objectPath(Bucket, 'no/such ü') });
    t.same(xmlValues(missing.body, 'Key'), ['no/such ü']);
    t.same(xmlValues(missing.body, 'Resource'), [objectPath(Bucket, 'no/such ü')]);
    const noBucket = uniqueName('none');
    t.same(xmlValues((await rawRequest(env, { path: `/${noBucket}/k` })).body, 'BucketName'), [noBucket]);
  });

  await t.test('InvalidURI_for_bad_percent_encoding', async (t) => {
    const res = await env.app.inject({ method: 'GET', url: `/${Bucket}/bad%E0%A4%A` });
    t.equal(res.statusCode, 400);
    t.match(res.body, /<Code>InvalidURI<\/Code>/, 'an S3 error, not a framework one');
    t.match(res.headers['x-amz-request-id'], /^[0-9A-F]{16}$/);
    const rest = await env.app.inject({ method: 'GET', url: '/api/v1/organizations/%E0%A4%A' });
    t.equal(rest.statusCode, 400);
    t.same(Object.keys(rest.json()).sort(), ['code', 'message', 'request_id'], 'and the REST door answers in JSON');
  });

  await t.test('NotImplemented_sub_resources', async (t) => {
    // Tagging has its own answers (operations/object-tagging.test.ts); PUT /bucket?tagging is one of these.
    for (const [path, sub] of [[`/${Bucket}`, 'lifecycle'], [`/${Bucket}`, 'policy'], [`/${Bucket}/k`, 'retention']]) {
      for (const method of ['GET', 'PUT']) {
        const res = await rawRequest(env, { method, path: path!, query: { [sub!]: '' }, ...(method === 'PUT' ? { body: '<x/>' } : {}) });
        t.equal(res.status, 501, `${method} ${path}?${sub}`);
        t.same(xmlValues(res.body, 'Code'), ['NotImplemented']);
      }
    }
    t.equal((await s3.send(new GetObjectCommand({ Bucket, Key: 'k' }))).ContentLength, 1, 'the object was not touched');
  });

  await t.test('MethodNotAllowed_for_methods_S3_lacks', async (t) => {
    for (const [method, path] of [['POST', '/'], ['DELETE', '/'], ['PATCH', `/${Bucket}/k`], ['OPTIONS', `/${Bucket}/k`], ['PATCH', `/${Bucket}`]] as const) {
      const res = await rawRequest(env, { method, path });
      t.equal(res.status, 405, `${method} ${path}`);
      t.same(xmlValues(res.body, 'Code'), ['MethodNotAllowed']);
      t.ok(res.headers['x-amz-request-id']);
    }
  });

  await t.test('KeyTooLongError', async (t) => {
    const long = 'k'.repeat(1025);
    for (const method of ['PUT', 'GET', 'HEAD', 'DELETE']) {
      const res = await rawRequest(env, { method, path: `/${Bucket}/${long}`, ...(method === 'PUT' ? { body: 'x' } : {}) });
      t.equal(res.status, 400, method);
      if (method !== 'HEAD') t.same(xmlValues(res.body, 'Code'), ['KeyTooLongError']);
    }
    const exactly = 'é'.repeat(512);
    await s3.send(new PutObjectCommand({ Bucket, Key: exactly, Body: 'x' }));
    t.equal((await s3.send(new HeadObjectCommand({ Bucket, Key: exactly }))).ContentLength, 1, '1,024 bytes of UTF-8 is fine');
  });

  await t.test('Keys_of_any_utf8', async (t) => {
    const UtfBucket = await env.bucket('utf');
    for (const Key of KEYS) {
      await s3.send(new PutObjectCommand({ Bucket: UtfBucket, Key, Body: `body of ${Key}` }));
      t.equal(await (await s3.send(new GetObjectCommand({ Bucket: UtfBucket, Key }))).Body!.transformToString(), `body of ${Key}`, JSON.stringify(Key));
    }
    const listed = (await s3.send(new ListObjectsV2Command({ Bucket: UtfBucket }))).Contents?.map((c) => c.Key);
    t.same(listed, [...KEYS].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))), 'listed exactly, in UTF-8 order');
    const raw = await rawRequest(env, { path: `/${UtfBucket}`, query: { 'list-type': '2' } });
    t.same(xmlValues(raw.body, 'Key').sort(), [...KEYS].sort(), 'and without encoding-type, as character references');
    for (const Key of KEYS) await s3.send(new DeleteObjectCommand({ Bucket: UtfBucket, Key }));
    t.equal((await s3.send(new ListObjectsV2Command({ Bucket: UtfBucket }))).KeyCount, 0);
    t.match(await failure(s3.send(new HeadObjectCommand({ Bucket: UtfBucket, Key: KEYS[0] }))), { status: 404 });
  });
});
