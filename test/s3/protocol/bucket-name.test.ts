import t from 'tap';
import { assertValidBucketName, isValidBucketName, parseBucketName } from '../../../src/s3/protocol/bucket-name.js';

t.test('new bucket names follow S3 rules, without dots', async (t) => {
  const good = ['abc', 'my-repo', 'a1b2', '123', 'x'.repeat(63), 'a--b', 'xn-ok', 'bucket-s3'];
  const bad = [
    '', 'ab', 'x'.repeat(64), 'My-Repo', 'my_repo', 'my.repo', '-abc', 'abc-', 'a b', 'abc/',
    '192.168.5.4', 'xn--abc', 'sthree-abc', 'amzn-s3-demo-x', 'abc-s3alias', 'abc--ol-s3', 'abc--x-s3', 'abc--table-s3', 'é-abc',
  ];
  for (const name of good) {
    t.ok(isValidBucketName(name), name);
    t.doesNotThrow(() => assertValidBucketName(name));
  }
  for (const name of bad) {
    t.notOk(isValidBucketName(name), name);
    t.throws(() => assertValidBucketName(name), { code: 'InvalidBucketName', status: 400, extra: { BucketName: name } });
  }
});

t.test('a bucket names a repository, or a repository at a commit', async (t) => {
  const id = 'a'.repeat(64);
  t.same(parseBucketName('my-repo'), { repo: 'my-repo' });
  t.same(parseBucketName('my-repo.0123abcd'), { repo: 'my-repo', commitRef: '0123abcd' });
  t.same(parseBucketName(`my-repo.${id}`), { repo: 'my-repo', commitRef: id });
});

t.test('a bucket no repository can have is NoSuchBucket', async (t) => {
  for (const bucket of ['My-Repo', 'ab', 'my-repo.', 'my-repo.0123abc', 'my-repo.0123ABCD', 'my-repo.feature', `my-repo.${'a'.repeat(65)}`, 'a.b.0123abcd', '.0123abcd']) {
    t.throws(() => parseBucketName(bucket), { code: 'NoSuchBucket', status: 404, extra: { BucketName: bucket } }, bucket);
  }
});
