import t from 'tap';
import { contentRange, parseRange } from '../../../src/s3/protocol/range.js';

t.test('single ranges resolve against the size', async (t) => {
  t.same(parseRange('bytes=0-9', 100), { start: 0, end: 9 });
  t.same(parseRange('bytes=10-', 100), { start: 10, end: 99 });
  t.same(parseRange('bytes=90-200', 100), { start: 90, end: 99 });
  t.same(parseRange('bytes=-10', 100), { start: 90, end: 99 });
  t.same(parseRange('bytes=-500', 100), { start: 0, end: 99 });
  t.same(parseRange('bytes=99-99', 100), { start: 99, end: 99 });
  t.same(parseRange('Bytes=5-5', 100), { start: 5, end: 5 });
  t.same(parseRange(' bytes=0-0 ', 1), { start: 0, end: 0 });
  t.same(parseRange('bytes=007-008', 100), { start: 7, end: 8 });
});

t.test('absent, invalid and multi-range headers serve the whole object', async (t) => {
  for (const header of [undefined, '', 'bytes=', 'bytes=-', 'bytes=5-2', 'items=0-1', 'bytes=a-b', 'bytes=0-1,3-4', 'bytes=1', 'bytes=-1-2', 'bytes 0-1']) {
    t.equal(parseRange(header, 100), null, String(header));
  }
});

t.test('unsatisfiable ranges are InvalidRange with S3 extra fields', async (t) => {
  const cases: [string, number][] = [['bytes=100-', 100], ['bytes=100-200', 100], ['bytes=-0', 100], ['bytes=0-', 0], ['bytes=0-0', 0], ['bytes=-0', 0]];
  for (const [header, size] of cases) {
    t.throws(
      () => parseRange(header, size),
      { code: 'InvalidRange', status: 416, extra: { RangeRequested: header, ActualObjectSize: String(size) } },
      `${header} of ${size}`,
    );
  }
});

t.test('a suffix range on an empty object serves the empty object', async (t) => {
  t.equal(parseRange('bytes=-5', 0), null);
});

t.test('contentRange', async (t) => {
  t.equal(contentRange(0, 9, 100), 'bytes 0-9/100');
});
