// Authentication at the gateway: SigV4 header and presigned (up to 7 days; expired is 403
// AccessDenied "Request has expired"), SigV2 header and presigned, clock skew, unknown keys,
// wrong signatures (with what we signed in the body), region pinning, anonymous requests.
import { createHmac } from 'node:crypto';
import {
  GetBucketLocationCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import t from 'tap';
import { forEachBackend } from '../helpers/catalog.js';
import { failure, objectPath, rawRequest, s3Env, snapshot, uniqueName, xmlValues, type S3Env } from '../helpers/s3.js';

const MINUTE = 60_000;

/** A SigV2 signature as the spec defines it (HMAC-SHA1 over the string to sign). */
const v2 = (secret: string, toSign: string) => createHmac('sha1', secret).update(toSign).digest('base64');

async function fetchText(url: string, init?: RequestInit) {
  const res = await fetch(url, init);
  return { status: res.status, body: await res.text(), headers: res.headers };
}

forEachBackend(t, 'authentication at the gateway', async (t, db) => {
  const env = await s3Env(t, db);
  const { s3 } = env;
  const Bucket = await env.bucket('auth');
  await s3.send(new PutObjectCommand({ Bucket, Key: 'dir/a b+c.txt', Body: 'hello' }));
  const path = objectPath(Bucket, 'dir/a b+c.txt');

  await t.test('SigV4_presigned_get_and_put', async (t) => {
    const get = await fetchText(await getSignedUrl(s3, new GetObjectCommand({ Bucket, Key: 'dir/a b+c.txt' }), { expiresIn: 604_800 }));
    t.same([get.status, get.body], [200, 'hello'], 'a URL valid for the maximum of 7 days works');
    const putUrl = await getSignedUrl(s3, new PutObjectCommand({ Bucket, Key: 'presigned-put' }), { expiresIn: 60 });
    t.equal((await fetchText(putUrl, { method: 'PUT', body: 'uploaded' })).status, 200);
    t.equal(await (await s3.send(new GetObjectCommand({ Bucket, Key: 'presigned-put' }))).Body!.transformToString(), 'uploaded');
  });

  await t.test('SigV4_presigned_expired', async (t) => {
    const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket, Key: 'dir/a b+c.txt' }), { expiresIn: 60, signingDate: new Date(Date.now() - 10 * MINUTE) });
    const res = await fetchText(url);
    t.equal(res.status, 403);
    t.same(xmlValues(res.body, 'Code'), ['AccessDenied']);
    t.same(xmlValues(res.body, 'Message'), ['Request has expired']);
  });

  await t.test('SigV4_presigned_longer_than_7_days', async (t) => {
    const url = new URL(await getSignedUrl(s3, new GetObjectCommand({ Bucket, Key: 'dir/a b+c.txt' }), { expiresIn: 604_800 }));
    url.searchParams.set('X-Amz-Expires', '604801');
    const res = await fetchText(url.toString());
    t.equal(res.status, 400);
    t.same(xmlValues(res.body, 'Code'), ['AuthorizationQueryParametersError']);
  });

  await t.test('SigV2_header', async (t) => {
    const date = new Date().toUTCString();
    const get = await rawRequest(env, {
      path, creds: null, unsigned: { date, authorization: `AWS ${env.creds.accessKeyId}:${v2(env.creds.secretAccessKey, `GET\n\n\n${date}\n${path}`)}` },
    });
    t.same([get.status, get.body], [200, 'hello']);
    const putPath = objectPath(Bucket, 'v2-put');
    const toSign = `PUT\n\ntext/plain\n${date}\nx-amz-meta-via:sigv2\n${putPath}`;
    const put = await rawRequest(env, {
      method: 'PUT', path: putPath, creds: null, body: 'v2 body',
      unsigned: { date, 'content-type': 'text/plain', 'x-amz-meta-via': 'sigv2', authorization: `AWS ${env.creds.accessKeyId}:${v2(env.creds.secretAccessKey, toSign)}` },
    });
    t.equal(put.status, 200, put.body);
    t.match(await s3.send(new HeadObjectCommand({ Bucket, Key: 'v2-put' })), { ContentType: 'text/plain', Metadata: { via: 'sigv2' } });
    const wrong = await rawRequest(env, { path, creds: null, unsigned: { date, authorization: `AWS ${env.creds.accessKeyId}:${v2('wrong', `GET\n\n\n${date}\n${path}`)}` } });
    t.equal(wrong.status, 403);
    t.same(xmlValues(wrong.body, 'Code'), ['SignatureDoesNotMatch']);
  });

  await t.test('SigV2_presigned', async (t) => {
    const presign = (expires: number) =>
      `${env.endpoint}${path}?AWSAccessKeyId=${env.creds.accessKeyId}&Expires=${expires}&Signature=${encodeURIComponent(v2(env.creds.secretAccessKey, `GET\n\n\n${expires}\n${path}`))}`;
    const ok = await fetchText(presign(Math.floor(Date.now() / 1000) + 600));
    t.same([ok.status, ok.body], [200, 'hello']);
    const expired = await fetchText(presign(Math.floor(Date.now() / 1000) - 600));
    t.equal(expired.status, 403);
    t.same(xmlValues(expired.body, 'Message'), ['Request has expired']);
  });

  await t.test('SigV4_request_time_too_skewed', async (t) => {
    const skewed = await rawRequest(env, { path, signingDate: new Date(Date.now() - 20 * MINUTE) });
    t.equal(skewed.status, 403);
    t.same(xmlValues(skewed.body, 'Code'), ['RequestTimeTooSkewed']);
    const ahead = await rawRequest(env, { path, signingDate: new Date(Date.now() + 20 * MINUTE) });
    t.same(xmlValues(ahead.body, 'Code'), ['RequestTimeTooSkewed'], 'ahead of the server clock too');
    t.equal((await rawRequest(env, { path, signingDate: new Date(Date.now() - 10 * MINUTE) })).status, 200, 'ten minutes off is fine');
  });

  await t.test('SigV4_invalid_access_key_id', async (t) => {
    const res = await rawRequest(env, { path, creds: { accessKeyId: 'TKNOSUCHKEY00000000', secretAccessKey: 'x' } });
    t.equal(res.status, 403);
    t.same(xmlValues(res.body, 'Code'), ['InvalidAccessKeyId']);
    t.same(xmlValues(res.body, 'AWSAccessKeyId'), ['TKNOSUCHKEY00000000']);
  });

  await t.test('SigV4_signature_does_not_match_explains', async (t) => {
    const before = await snapshot(env, Bucket);
    const signingDate = new Date();
    const res = await rawRequest(env, { method: 'PUT', path: objectPath(Bucket, 'forged'), body: 'x', signingDate, creds: { ...env.creds, secretAccessKey: 'wrong' } });
    t.equal(res.status, 403);
    t.same(xmlValues(res.body, 'Code'), ['SignatureDoesNotMatch']);
    const amzDate = signingDate.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
    t.match(xmlValues(res.body, 'StringToSign')[0], new RegExp(`^AWS4-HMAC-SHA256\n${amzDate}\n${amzDate.slice(0, 8)}/us-east-1/s3/aws4_request\n[0-9a-f]{64}$`));
    t.match(xmlValues(res.body, 'CanonicalRequest')[0], new RegExp(`^PUT\n${objectPath(Bucket, 'forged')}\n\nhost:`));
    t.ok(xmlValues(res.body, 'SignatureProvided')[0], 'and the signature we were given');
    t.same(await snapshot(env, Bucket), before, 'nothing stored');
  });

  await t.test('SigV4_any_region_when_not_pinned', async (t) => {
    const elsewhere = env.client(env.creds, { region: 'ap-southeast-2' });
    t.equal((await elsewhere.send(new ListObjectsV2Command({ Bucket }))).KeyCount, 3);
  });

  await t.test('Anonymous_reads_public_repositories_only', async (t) => {
    t.equal((await fetchText(`${env.endpoint}${path}`)).status, 403, 'a private repository is not readable');
    const open = uniqueName('open');
    await env.app.inject({ method: 'POST', url: '/api/v1/organizations/default/repositories', headers: env.auth, payload: { name: open, visibility: 'public' } });
    await s3.send(new PutObjectCommand({ Bucket: open, Key: 'k.txt', Body: 'public bytes' }));
    t.same((await fetchText(`${env.endpoint}/${open}/k.txt`)).body, 'public bytes', 'GET');
    t.equal((await fetchText(`${env.endpoint}/${open}/k.txt`, { method: 'HEAD' })).status, 200, 'HEAD');
    t.same(xmlValues((await fetchText(`${env.endpoint}/${open}?list-type=2`)).body, 'Key'), ['k.txt'], 'ListObjectsV2');
    const before = await snapshot(env, open);
    for (const [method, url] of [['PUT', `/${open}/new.txt`], ['DELETE', `/${open}/k.txt`], ['POST', `/${open}/k.txt?uploads`]] as const) {
      const res = await fetchText(`${env.endpoint}${url}`, { method, ...(method === 'PUT' ? { body: 'x' } : {}) });
      t.equal(res.status, 403, `${method} ${url}`);
      t.same(xmlValues(res.body, 'Code'), ['AccessDenied']);
    }
    t.same(await snapshot(env, open), before, 'nothing changed');
  });
});

forEachBackend(t, 'TROVE_S3_REGION pins the region', async (t, db) => {
  const env: S3Env = await s3Env(t, db, { s3Region: 'eu-west-3' });
  const pinned = env.client(env.creds, { region: 'eu-west-3' });
  const Bucket = await (async () => {
    const name = uniqueName('pinned');
    await env.app.inject({ method: 'POST', url: '/api/v1/organizations/default/repositories', headers: env.auth, payload: { name } });
    return name;
  })();
  await pinned.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'x' }));
  t.equal((await pinned.send(new GetBucketLocationCommand({ Bucket }))).LocationConstraint, 'eu-west-3');
  const other = await failure(env.s3.send(new ListObjectsV2Command({ Bucket })));
  t.match(other, { name: 'AuthorizationHeaderMalformed', status: 400 }, 'another region in the scope is refused');
  const presigned = await getSignedUrl(env.s3, new GetObjectCommand({ Bucket, Key: 'k' }), { expiresIn: 60 });
  const res = await fetchText(presigned);
  t.equal(res.status, 400);
  t.same(xmlValues(res.body, 'Code'), ['AuthorizationQueryParametersError']);
});
