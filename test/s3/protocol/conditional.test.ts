import t from 'tap';
import {
  checkCopySourceConditions, checkReadConditions, checkWriteConditions, conditionsFromHeaders,
  copySourceConditionsFromHeaders, evaluateReadConditions, parseHttpDate, type Conditions,
} from '../../../src/s3/protocol/conditional.js';

// Last modified 2026-01-02T03:04:05.678Z; HTTP dates have whole seconds.
const state = { etag: '"abc"', lastModified: new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678)) };
const SAME_SECOND = 'Fri, 02 Jan 2026 03:04:05 GMT';
const BEFORE = 'Fri, 02 Jan 2026 03:04:04 GMT';
const AFTER = 'Fri, 02 Jan 2026 03:04:06 GMT';

t.test('each read condition alone', async (t) => {
  const cases: [Conditions, string][] = [
    [{}, 'proceed'],
    [{ ifMatch: '"abc"' }, 'proceed'],
    [{ ifMatch: 'abc' }, 'proceed'],
    [{ ifMatch: '*' }, 'proceed'],
    [{ ifMatch: '"x", W/"abc"' }, 'proceed'],
    [{ ifMatch: '"x"' }, 'precondition-failed'],
    [{ ifNoneMatch: '"abc"' }, 'not-modified'],
    [{ ifNoneMatch: '*' }, 'not-modified'],
    [{ ifNoneMatch: '"x"' }, 'proceed'],
    [{ ifModifiedSince: BEFORE }, 'proceed'],
    [{ ifModifiedSince: SAME_SECOND }, 'not-modified'],
    [{ ifModifiedSince: AFTER }, 'not-modified'],
    [{ ifModifiedSince: 'not a date' }, 'proceed'],
    [{ ifUnmodifiedSince: BEFORE }, 'precondition-failed'],
    [{ ifUnmodifiedSince: SAME_SECOND }, 'proceed'],
    [{ ifUnmodifiedSince: AFTER }, 'proceed'],
    [{ ifUnmodifiedSince: 'garbage' }, 'proceed'],
  ];
  for (const [c, outcome] of cases) t.equal(evaluateReadConditions(c, state), outcome, JSON.stringify(c));
});

t.test("S3's documented precedence between pairs", async (t) => {
  // If-Match true + If-Unmodified-Since false -> 200.
  t.equal(evaluateReadConditions({ ifMatch: '"abc"', ifUnmodifiedSince: BEFORE }, state), 'proceed');
  // If-None-Match false + If-Modified-Since true -> 304.
  t.equal(evaluateReadConditions({ ifNoneMatch: '"abc"', ifModifiedSince: BEFORE }, state), 'not-modified');
  // If-None-Match true + If-Modified-Since false -> 200 (If-Modified-Since is not consulted).
  t.equal(evaluateReadConditions({ ifNoneMatch: '"x"', ifModifiedSince: AFTER }, state), 'proceed');
  // If-Match false wins over everything.
  t.equal(evaluateReadConditions({ ifMatch: '"x"', ifNoneMatch: '"abc"' }, state), 'precondition-failed');
  // If-Unmodified-Since false beats If-None-Match false.
  t.equal(evaluateReadConditions({ ifUnmodifiedSince: BEFORE, ifNoneMatch: '"abc"' }, state), 'precondition-failed');
});

t.test('checkReadConditions throws the S3 errors', async (t) => {
  t.doesNotThrow(() => checkReadConditions({ ifMatch: '"abc"' }, state));
  t.throws(() => checkReadConditions({ ifNoneMatch: '"abc"' }, state), { code: 'NotModified', status: 304 });
  t.throws(() => checkReadConditions({ ifMatch: '"x"' }, state), { code: 'PreconditionFailed', status: 412, extra: { Condition: 'If-Match' } });
  t.throws(() => checkReadConditions({ ifUnmodifiedSince: BEFORE }, state), { code: 'PreconditionFailed', extra: { Condition: 'If-Unmodified-Since' } });
});

t.test('copy-source conditions fail with 412 where reads would say 304', async (t) => {
  t.doesNotThrow(() => checkCopySourceConditions({ ifMatch: '"abc"', ifUnmodifiedSince: BEFORE }, state));
  t.throws(() => checkCopySourceConditions({ ifNoneMatch: '"abc"', ifModifiedSince: BEFORE }, state), {
    code: 'PreconditionFailed',
    extra: { Condition: 'x-amz-copy-source-If-None-Match' },
  });
  t.throws(() => checkCopySourceConditions({ ifModifiedSince: AFTER }, state), { code: 'PreconditionFailed', extra: { Condition: 'x-amz-copy-source-If-Modified-Since' } });
  t.throws(() => checkCopySourceConditions({ ifMatch: '"x"' }, state), { code: 'PreconditionFailed', extra: { Condition: 'x-amz-copy-source-If-Match' } });
});

t.test('conditions come from the plain or the copy-source headers', async (t) => {
  const headers = { 'if-match': '"a"', 'if-none-match': ['"b"', '"c"'], 'x-amz-copy-source-if-modified-since': BEFORE, 'x-amz-copy-source-if-unmodified-since': AFTER };
  t.same(conditionsFromHeaders(headers), { ifMatch: '"a"', ifNoneMatch: '"b","c"', ifModifiedSince: undefined, ifUnmodifiedSince: undefined });
  t.same(copySourceConditionsFromHeaders(headers), { ifMatch: undefined, ifNoneMatch: undefined, ifModifiedSince: BEFORE, ifUnmodifiedSince: AFTER });
});

t.test('HTTP dates in all three formats, plus ISO 8601', async (t) => {
  const expected = Date.UTC(1994, 10, 6, 8, 49, 37);
  for (const text of ['Sun, 06 Nov 1994 08:49:37 GMT', 'Sunday, 06-Nov-94 08:49:37 GMT', 'Sun Nov  6 08:49:37 1994', '1994-11-06T08:49:37Z']) {
    t.equal(parseHttpDate(text)?.getTime(), expected, text);
  }
  t.equal(parseHttpDate('yesterday'), null);
});

t.test('conditional writes', async (t) => {
  t.doesNotThrow(() => checkWriteConditions({ ifNoneMatch: '*' }, null));
  t.throws(() => checkWriteConditions({ ifNoneMatch: '*' }, { etag: '"abc"' }), { code: 'PreconditionFailed', status: 412, extra: { Condition: 'If-None-Match' } });
  t.throws(() => checkWriteConditions({ ifNoneMatch: '"abc"' }, null), { code: 'NotImplemented', status: 501 });
  t.doesNotThrow(() => checkWriteConditions({ ifMatch: 'abc' }, { etag: '"abc"' }));
  t.throws(() => checkWriteConditions({ ifMatch: '"x"' }, { etag: '"abc"' }), { code: 'PreconditionFailed', extra: { Condition: 'If-Match' } });
  t.throws(() => checkWriteConditions({ ifMatch: '"abc"' }, null), { code: 'NoSuchKey', status: 404 });
  t.doesNotThrow(() => checkWriteConditions({}, { etag: '"abc"' }));
});
