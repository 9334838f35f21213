import t from 'tap';
import {
  DEFAULT_CONTENT_TYPE, headerSafe, metadataResponseHeaders, stripAwsChunked, systemMetadataFromHeaders, userMetadataFromHeaders,
} from '../../../src/s3/protocol/metadata.js';

t.test('user metadata from x-amz-meta-* headers', async (t) => {
  const headers = {
    'x-amz-meta-color': 'blue',
    'X-Amz-Meta-Shape': ' round ',
    'x-amz-meta-multi': ['a', 'b'],
    'x-amz-meta-': 'ignored',
    'x-amz-metadata-directive': 'COPY',
    'content-type': 'text/plain',
  };
  t.same(userMetadataFromHeaders(headers), { color: 'blue', shape: ' round ', multi: 'a,b' });
  t.same(userMetadataFromHeaders({}), {});
});

t.test('user metadata is limited to 2 KB of names and values', async (t) => {
  // 'k' + 2047 bytes = 2048: allowed; one more byte is not.
  t.doesNotThrow(() => userMetadataFromHeaders({ 'x-amz-meta-k': 'v'.repeat(2047) }));
  t.throws(() => userMetadataFromHeaders({ 'x-amz-meta-k': 'v'.repeat(2048) }), { code: 'MetadataTooLarge', status: 400 });
  // Counted in UTF-8 bytes: 'é' is two.
  t.throws(() => userMetadataFromHeaders({ 'x-amz-meta-k': 'é'.repeat(1024) }), { code: 'MetadataTooLarge' });
  t.throws(() => userMetadataFromHeaders({ 'x-amz-meta-a': 'v'.repeat(1500), 'x-amz-meta-b': 'v'.repeat(1500) }), { code: 'MetadataTooLarge' });
});

t.test('system metadata from headers', async (t) => {
  t.same(systemMetadataFromHeaders({}), { contentType: DEFAULT_CONTENT_TYPE });
  t.equal(DEFAULT_CONTENT_TYPE, 'binary/octet-stream');
  t.same(systemMetadataFromHeaders({ 'content-type': '' }, 'application/octet-stream'), { contentType: 'application/octet-stream' });
  t.same(
    systemMetadataFromHeaders({
      'content-type': 'text/csv',
      'content-disposition': 'attachment; filename="a.csv"',
      'content-encoding': 'aws-chunked,gzip',
      'content-language': 'en',
      'cache-control': 'no-cache',
      expires: 'Thu, 01 Dec 2094 16:00:00 GMT',
      'x-amz-meta-x': 'not system',
    }),
    {
      contentType: 'text/csv',
      contentDisposition: 'attachment; filename="a.csv"',
      contentEncoding: 'gzip',
      contentLanguage: 'en',
      cacheControl: 'no-cache',
      expires: 'Thu, 01 Dec 2094 16:00:00 GMT',
    },
  );
  t.same(systemMetadataFromHeaders({ 'content-encoding': 'aws-chunked' }), { contentType: DEFAULT_CONTENT_TYPE });
});

t.test('stripAwsChunked', async (t) => {
  t.equal(stripAwsChunked(undefined), undefined);
  t.equal(stripAwsChunked('aws-chunked'), undefined);
  t.equal(stripAwsChunked('AWS-Chunked , gzip'), 'gzip');
  t.equal(stripAwsChunked('gzip, aws-chunked, br'), 'gzip,br');
  t.equal(stripAwsChunked('gzip'), 'gzip');
});

t.test('response headers from stored metadata', async (t) => {
  t.same(metadataResponseHeaders({ contentType: 'text/plain', cacheControl: 'max-age=1', expires: undefined }, { color: 'blue' }), {
    'content-type': 'text/plain',
    'cache-control': 'max-age=1',
    'x-amz-meta-color': 'blue',
  });
});

t.test('values Node cannot send are MIME-encoded; raw header bytes pass through', async (t) => {
  t.equal(headerSafe('plain\tascii'), 'plain\tascii');
  t.equal(headerSafe('\xc3\xa9'), '\xc3\xa9');
  t.equal(headerSafe('日本'), `=?UTF-8?B?${Buffer.from('日本').toString('base64')}?=`);
  t.equal(headerSafe('line\nbreak'), `=?UTF-8?B?${Buffer.from('line\nbreak').toString('base64')}?=`);
});
