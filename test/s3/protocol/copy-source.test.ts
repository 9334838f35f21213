import t from 'tap';
import {
  checkCopySourceRange, checkNotCopyOntoItself, parseCopySource, parseCopySourceRange, parseMetadataDirective,
} from '../../../src/s3/protocol/copy-source.js';

t.test('copy sources with and without a leading slash, encoded, versioned', async (t) => {
  t.same(parseCopySource('repo/a/b.txt'), { bucket: 'repo', key: 'a/b.txt' });
  t.same(parseCopySource('/repo/a/b.txt'), { bucket: 'repo', key: 'a/b.txt' });
  t.same(parseCopySource('/repo/a%20b%2Bc%3Fd%25e+f%C3%A9'), { bucket: 'repo', key: 'a b+c?d%e+fé' });
  t.same(parseCopySource('repo.0123abcd/k?versionId=v%2B1'), { bucket: 'repo.0123abcd', key: 'k', versionId: 'v+1' });
  t.same(parseCopySource('repo/k?other=1'), { bucket: 'repo', key: 'k' });
  t.same(parseCopySource('repo/dir/'), { bucket: 'repo', key: 'dir/' });
});

t.test('copy sources without bucket and key, or badly encoded, are InvalidArgument', async (t) => {
  for (const header of ['', '/', 'repo', '/repo', 'repo/', '/repo/', '//key', 'repo/%zz', 'repo/%C3']) {
    t.throws(() => parseCopySource(header), { code: 'InvalidArgument', status: 400, extra: { ArgumentName: 'x-amz-copy-source', ArgumentValue: header } }, header);
  }
  t.throws(() => parseCopySource('repo/k'.concat('?versionId=')), { message: 'Version id cannot be the empty string' });
});

t.test('copy source ranges', async (t) => {
  t.equal(parseCopySourceRange(undefined), undefined);
  t.same(parseCopySourceRange('bytes=0-9'), { start: 0, end: 9 });
  t.same(parseCopySourceRange('bytes=5-5'), { start: 5, end: 5 });
  for (const header of ['bytes=0-', 'bytes=-5', 'bytes=9-0', 'bytes=0-1,2-3', 'items=0-1', '0-1', '']) {
    t.throws(() => parseCopySourceRange(header), { code: 'InvalidArgument', extra: { ArgumentName: 'x-amz-copy-source-range', ArgumentValue: header } }, header);
  }
  t.doesNotThrow(() => checkCopySourceRange({ start: 0, end: 9 }, 10));
  t.throws(() => checkCopySourceRange({ start: 0, end: 10 }, 10), {
    code: 'InvalidArgument',
    message: 'Range specified is not valid for source object of size: 10',
  });
  t.throws(() => checkCopySourceRange({ start: 0, end: 0 }, 0), { code: 'InvalidArgument' });
});

t.test('metadata directive', async (t) => {
  t.equal(parseMetadataDirective(undefined), 'COPY');
  t.equal(parseMetadataDirective('COPY'), 'COPY');
  t.equal(parseMetadataDirective('REPLACE'), 'REPLACE');
  for (const bad of ['copy', 'Replace', 'MERGE', '']) {
    t.throws(() => parseMetadataDirective(bad), { code: 'InvalidArgument', message: 'Unknown metadata directive.', extra: { ArgumentValue: bad } });
  }
});

t.test('a copy onto itself must change something', async (t) => {
  t.throws(() => checkNotCopyOntoItself(true, 'COPY'), { code: 'InvalidRequest', message: /copy an object to itself/ });
  t.doesNotThrow(() => checkNotCopyOntoItself(true, 'REPLACE'));
  t.doesNotThrow(() => checkNotCopyOntoItself(false, 'COPY'));
});
