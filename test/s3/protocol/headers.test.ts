import t from 'tap';
import { headerValue, queryValue } from '../../../src/s3/protocol/headers.js';

t.test('header and query values', async (t) => {
  t.equal(headerValue({ a: 'x' }, 'a'), 'x');
  t.equal(headerValue({ a: ['x', 'y'] }, 'a'), 'x,y');
  t.equal(headerValue({}, 'a'), undefined);
  t.equal(queryValue({ a: ['x', 'y'] }, 'a'), 'x');
  t.equal(queryValue({ a: '' }, 'a'), '');
  t.equal(queryValue({}, 'a'), undefined);
});
