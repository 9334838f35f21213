import t from 'tap';
import { createHash } from 'node:crypto';
import {
  etagListMatches, etagsEqual, isMultipartEtag, isSinglePartEtag, multipartEtag, parseMultipartEtag, quoteEtag, unquoteEtag,
} from '../../../src/s3/protocol/etag.js';

const md5 = (s: string): string => createHash('md5').update(s).digest('hex');

t.test('quote and unquote', async (t) => {
  t.equal(quoteEtag('abc'), '"abc"');
  t.equal(quoteEtag('"abc"'), '"abc"');
  t.equal(unquoteEtag('"abc"'), 'abc');
  t.equal(unquoteEtag(' W/"abc" '), 'abc');
  t.equal(unquoteEtag('abc'), 'abc');
  t.equal(unquoteEtag('"'), '"');
  t.ok(etagsEqual('"abc"', 'W/"abc"'));
  t.notOk(etagsEqual('"abc"', '"abd"'));
});

t.test('If-Match lists', async (t) => {
  t.ok(etagListMatches('"a", "b"', '"b"'));
  t.ok(etagListMatches('b', '"b"'));
  t.ok(etagListMatches('*', '"z"'));
  t.notOk(etagListMatches('"a", "c"', '"b"'));
});

t.test('multipart ETags', async (t) => {
  const parts = [md5('one'), `"${md5('two')}"`];
  const expected = createHash('md5').update(Buffer.concat([Buffer.from(md5('one'), 'hex'), Buffer.from(md5('two'), 'hex')])).digest('hex');
  t.equal(multipartEtag(parts), `"${expected}-2"`);
  t.throws(() => multipartEtag(['nothex']), TypeError);
  t.same(parseMultipartEtag(`"${expected}-2"`), { md5: expected, parts: 2 });
  t.ok(isMultipartEtag(`${expected}-10000`));
  for (const bad of [`${expected}-0`, `${expected}-10001`, `${expected}-01`, expected, `${expected.toUpperCase()}-2`, 'x-2']) {
    t.notOk(isMultipartEtag(bad), bad);
  }
  t.ok(isSinglePartEtag(`"${md5('x')}"`));
  t.notOk(isSinglePartEtag(`${expected}-2`));
});
