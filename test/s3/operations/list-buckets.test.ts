// ListBuckets: the repositories of the caller's organization, paginated by max-buckets and
// continuation-token, filtered by prefix, each with its creation date.
import { CreateBucketCommand, ListBucketsCommand } from '@aws-sdk/client-s3';
import t from 'tap';
import { organizations, repositories } from '../../../src/catalog/index.js';
import { forEachBackend } from '../../helpers/catalog.js';
import { failure, memberWith, rawRequest, s3Env, uniqueName, xmlValues } from '../../helpers/s3.js';

forEachBackend(t, 'ListBuckets', async (t, db) => {
  const env = await s3Env(t, db);
  const { s3 } = env;
  const prefix = uniqueName('lb');
  const names = ['a', 'b', 'c', 'd', 'e'].map((s) => `${prefix}-${s}`);
  const before = Date.now();
  for (const Bucket of names) await s3.send(new CreateBucketCommand({ Bucket }));
  const after = Date.now();

  await t.test('ListBuckets_pagination_max_buckets_continuation_token', async (t) => {
    const seen: string[] = [];
    let token: string | undefined;
    const pages: number[] = [];
    do {
      const page = await s3.send(new ListBucketsCommand({ Prefix: prefix, MaxBuckets: 2, ...(token ? { ContinuationToken: token } : {}) }));
      pages.push(page.Buckets?.length ?? 0);
      seen.push(...(page.Buckets ?? []).map((b) => b.Name!));
      t.equal(page.Prefix, prefix, 'the prefix is echoed');
      token = page.ContinuationToken;
    } while (token);
    t.same(pages, [2, 2, 1], 'pages of max-buckets, the last one without a token');
    t.same(seen, names, 'every bucket once, in name order');
  });

  await t.test('ListBuckets_creation_date', async (t) => {
    const page = await s3.send(new ListBucketsCommand({ Prefix: prefix }));
    for (const b of page.Buckets ?? []) {
      const at = b.CreationDate!.getTime();
      t.ok(at >= before - 1000 && at <= after + 1000, `${b.Name} has its creation date`);
    }
    t.ok(page.Owner?.ID, 'the owner is named');
  });

  await t.test('ListBuckets_prefix_filters', async (t) => {
    const page = await s3.send(new ListBucketsCommand({ Prefix: `${prefix}-c` }));
    t.same(page.Buckets?.map((b) => b.Name), [`${prefix}-c`]);
    t.equal((await s3.send(new ListBucketsCommand({ Prefix: `${prefix}-zz` }))).Buckets?.length ?? 0, 0);
  });

  await t.test('ListBuckets_bad_continuation_token', async (t) => {
    t.match(await failure(s3.send(new ListBucketsCommand({ ContinuationToken: 'not-a-token' }))), { name: 'InvalidArgument', status: 400 });
  });

  await t.test('ListBuckets_other_organization_not_listed', async (t) => {
    const other = await organizations.createOrganization(db, uniqueName('org'));
    const hidden = `${prefix}-hidden`;
    await repositories.createRepository(db, { orgId: other.id, name: hidden });
    const page = await s3.send(new ListBucketsCommand({ Prefix: prefix }));
    t.notOk(page.Buckets?.some((b) => b.Name === hidden), "another organization's repository is not a bucket of ours");
  });

  await t.test('ListBuckets_reader_lists_nonmember_policy_refused', async (t) => {
    const reader = env.client(await memberWith(env, uniqueName('reader'), 'ListRepositories()\nGetRepository()\n'));
    t.same((await reader.send(new ListBucketsCommand({ Prefix: prefix }))).Buckets?.map((b) => b.Name), names);
    const nobody = env.client(await memberWith(env, uniqueName('nobody'), 'GetObject()\n'));
    t.match(await failure(nobody.send(new ListBucketsCommand({}))), { name: 'AccessDenied', status: 403 });
  });

  await t.test('ListBuckets_only_repositories_the_caller_may_read', async (t) => {
    const partial = env.client(await memberWith(env, uniqueName('partial'), `ListRepositories()\nGetRepository(repository="default/${prefix}-b")\nGetRepository(repository="default/${prefix}-d")\n`));
    t.same((await partial.send(new ListBucketsCommand({ Prefix: prefix }))).Buckets?.map((b) => b.Name), [`${prefix}-b`, `${prefix}-d`]);
  });

  await t.test('ListBuckets_anonymous_access_denied', async (t) => {
    const res = await rawRequest(env, { path: '/', creds: null });
    t.equal(res.status, 403);
    t.same(xmlValues(res.body, 'Code'), ['AccessDenied']);
  });
});
