import t from 'tap';
import { responseHeaderOverrides } from '../../../src/s3/protocol/response-overrides.js';

t.test('response-* parameters override response headers on signed requests', async (t) => {
  const query = {
    'response-content-type': 'text/csv',
    'response-content-language': 'fr',
    'response-expires': 'Thu, 01 Dec 2094 16:00:00 GMT',
    'response-cache-control': ['no-store', 'ignored'],
    'response-content-disposition': 'attachment; filename="x.csv"',
    'response-content-encoding': 'gzip',
    'versionId': 'v1',
  };
  t.same(responseHeaderOverrides(query, { anonymous: false }), {
    'content-type': 'text/csv',
    'content-language': 'fr',
    expires: 'Thu, 01 Dec 2094 16:00:00 GMT',
    'cache-control': 'no-store',
    'content-disposition': 'attachment; filename="x.csv"',
    'content-encoding': 'gzip',
  });
  t.same(responseHeaderOverrides({ versionId: 'v1' }, { anonymous: true }), {});
});

t.test('anonymous requests may not override', async (t) => {
  t.throws(() => responseHeaderOverrides({ 'response-content-type': 'x' }, { anonymous: true }), {
    code: 'InvalidRequest',
    status: 400,
    message: 'Request specific response headers cannot be used for anonymous GET requests.',
  });
});
