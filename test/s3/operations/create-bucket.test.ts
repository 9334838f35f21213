// CreateBucket (names as S3 validates them, BucketAlreadyOwnedByYou / BucketAlreadyExists,
// canned ACLs, a location constraint), HeadBucket, GetBucketLocation and GetBucketAcl.
import {
  CreateBucketCommand, DeleteBucketCommand, GetBucketAclCommand, GetBucketLocationCommand, HeadBucketCommand, ListBucketsCommand,
  PutBucketAclCommand, PutObjectCommand, type BucketCannedACL,
} from '@aws-sdk/client-s3';
import t from 'tap';
import { organizations, repositories } from '../../../src/catalog/index.js';
import { forEachBackend } from '../../helpers/catalog.js';
import { failure, memberWith, rawRequest, repoOf, s3Env, uniqueName, xmlValues } from '../../helpers/s3.js';

const INVALID = [
  'ab', 'a'.repeat(64), 'Upper-case', 'under_score', 'dot.name', '192.168.5.4', '-leading', 'trailing-', 'xn--punycode',
  'sthree-x', 'name-s3alias', 'name--ol-s3', 'spa ce',
];

forEachBackend(t, 'CreateBucket and the bucket-level reads', async (t, db) => {
  const env = await s3Env(t, db);
  const { s3 } = env;

  await t.test('CreateBucket_invalid_name', async (t) => {
    for (const Bucket of INVALID) {
      const res = await rawRequest(env, { method: 'PUT', path: `/${encodeURIComponent(Bucket)}` });
      t.equal(res.status, 400, Bucket);
      t.same(xmlValues(res.body, 'Code'), ['InvalidBucketName'], Bucket);
    }
    const names = (await s3.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name) ?? [];
    t.notOk(INVALID.some((n) => names.includes(n)), 'none was created');
  });

  await t.test('CreateBucket_valid_name_lengths', async (t) => {
    const short = `z${uniqueName('').slice(-2)}`.slice(0, 3);
    const long = `${uniqueName('l')}-${'x'.repeat(63)}`.slice(0, 63);
    for (const Bucket of [short, long]) {
      await s3.send(new CreateBucketCommand({ Bucket }));
      t.equal((await s3.send(new HeadBucketCommand({ Bucket }))).$metadata.httpStatusCode, 200, `${Bucket.length} characters`);
    }
  });

  await t.test('CreateBucket_already_owned_by_you', async (t) => {
    const Bucket = await env.bucket('own');
    t.match(await failure(s3.send(new CreateBucketCommand({ Bucket }))), { name: 'BucketAlreadyOwnedByYou', status: 409 });
  });

  await t.test('CreateBucket_already_exists_for_a_caller_who_cannot_read_it', async (t) => {
    const Bucket = await env.bucket('theirs');
    const creator = env.client(await memberWith(env, uniqueName('creator'), 'CreateRepository()\nGetRepository(repository="default/mine-*")\n'));
    t.match(await failure(creator.send(new CreateBucketCommand({ Bucket }))), { name: 'BucketAlreadyExists', status: 409 });
    const mine = uniqueName('mine');
    await creator.send(new CreateBucketCommand({ Bucket: mine }));
    t.match(await failure(creator.send(new CreateBucketCommand({ Bucket: mine }))), { name: 'BucketAlreadyOwnedByYou', status: 409 });
  });

  await t.test('CreateBucket_name_taken_in_another_organization', async (t) => {
    const other = await organizations.createOrganization(db, uniqueName('org'));
    const Bucket = uniqueName('shared');
    const theirs = await repositories.createRepository(db, { orgId: other.id, name: Bucket });
    await s3.send(new CreateBucketCommand({ Bucket }));
    const ours = await repoOf(env, Bucket);
    t.not(ours.id, theirs.id, 'a repository of our own organization, not theirs');
    await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'x' }));
    t.equal((await repositories.getRepositoryById(db, theirs.id)).objectCount, 0, 'theirs is untouched');
  });

  await t.test('CreateBucket_again_after_delete', async (t) => {
    const Bucket = await env.bucket('again');
    await s3.send(new DeleteBucketCommand({ Bucket }));
    await s3.send(new CreateBucketCommand({ Bucket }));
    t.equal((await s3.send(new HeadBucketCommand({ Bucket }))).$metadata.httpStatusCode, 200);
  });

  await t.test('CreateBucket_canned_acl', async (t) => {
    for (const ACL of ['private', 'authenticated-read', 'log-delivery-write'] as BucketCannedACL[]) {
      const Bucket = uniqueName('acl');
      await s3.send(new CreateBucketCommand({ Bucket, ACL }));
      t.equal((await repoOf(env, Bucket)).visibility, 'private', ACL);
    }
    const open = uniqueName('public');
    await s3.send(new CreateBucketCommand({ Bucket: open, ACL: 'public-read' }));
    t.equal((await repoOf(env, open)).visibility, 'public', 'public-read creates a public repository');
    const bad = uniqueName('badacl');
    t.match(await failure(s3.send(new CreateBucketCommand({ Bucket: bad, ACL: 'bogus' as BucketCannedACL }))), { name: 'InvalidArgument', status: 400 });
    t.equal((await failure(s3.send(new HeadBucketCommand({ Bucket: bad })))).status, 404, 'and nothing was created');
  });

  await t.test('CreateBucket_location_constraint', async (t) => {
    const Bucket = uniqueName('loc');
    await s3.send(new CreateBucketCommand({ Bucket, CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
    t.equal((await s3.send(new HeadBucketCommand({ Bucket }))).$metadata.httpStatusCode, 200);
  });

  await t.test('CreateBucket_denied', async (t) => {
    const anonymous = await rawRequest(env, { method: 'PUT', path: `/${uniqueName('anon')}`, creds: null });
    t.equal(anonymous.status, 403);
    t.same(xmlValues(anonymous.body, 'Code'), ['AccessDenied']);
    const reader = env.client(await memberWith(env, uniqueName('reader'), 'ListRepositories()\nGetRepository()\n'));
    t.match(await failure(reader.send(new CreateBucketCommand({ Bucket: uniqueName('nope') }))), { name: 'AccessDenied', status: 403 });
  });

  await t.test('HeadBucket_existing_and_missing', async (t) => {
    const Bucket = await env.bucket('head');
    const head = await s3.send(new HeadBucketCommand({ Bucket }));
    t.equal(head.BucketRegion, 'us-east-1');
    const missing = await rawRequest(env, { method: 'HEAD', path: `/${uniqueName('missing')}` });
    t.equal(missing.status, 404);
    t.equal(missing.body, '', 'HEAD errors carry no body');
  });

  await t.test('GetBucketLocation_us_east_1_is_empty', async (t) => {
    const Bucket = await env.bucket('where');
    t.equal((await s3.send(new GetBucketLocationCommand({ Bucket }))).LocationConstraint, undefined);
    const res = await rawRequest(env, { path: `/${Bucket}`, query: { location: '' } });
    t.match(res.body, /<LocationConstraint xmlns="http:\/\/s3.amazonaws.com\/doc\/2006-03-01\/"><\/LocationConstraint>/);
  });

  await t.test('GetBucketAcl_owner_full_control_PutBucketAcl_accepted', async (t) => {
    const Bucket = await env.bucket('bacl');
    const acl = await s3.send(new GetBucketAclCommand({ Bucket }));
    t.ok(acl.Owner?.ID);
    t.same(acl.Grants?.map((g) => [g.Grantee?.Type, g.Grantee?.ID, g.Permission]), [['CanonicalUser', acl.Owner?.ID, 'FULL_CONTROL']]);
    await s3.send(new PutBucketAclCommand({ Bucket, ACL: 'private' }));
    t.match(await failure(s3.send(new GetBucketAclCommand({ Bucket: uniqueName('none') }))), { name: 'NoSuchBucket', status: 404 });
  });
});
