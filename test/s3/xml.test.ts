import t, { type Test } from 'tap';
import { execFileSync } from 'node:child_process';
import { buildXml, buildXmlBuffer, buildXmlFragment, decodeXmlText, parseXml, RawXmlBytes, S3_XMLNS } from '../../src/s3/xml.js';
import { errorXml, S3Error } from '../../src/s3/s3-error.js';
import { encodeKeyForUrl } from '../../src/s3/protocol/tokens.js';

const DECL = '<?xml version="1.0" encoding="UTF-8"?>\n';

function malformed(t: Test, text: string): void {
  t.throws(() => parseXml(text), { code: 'MalformedXML', status: 400 }, JSON.stringify(text));
}

t.test('buildXml writes S3 documents from plain objects', async (t) => {
  const xml = buildXml('ListBucketResult', {
    Name: 'repo',
    Prefix: '',
    Marker: undefined,
    Delimiter: null,
    MaxKeys: 1000,
    IsTruncated: false,
    Contents: [
      { Key: 'a', LastModified: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)), Size: 3n, Owner: {} },
      { Key: 'b', LastModified: new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 678)), Size: 0 },
    ],
    CommonPrefixes: [],
  });
  t.equal(
    xml,
    `${DECL}<ListBucketResult xmlns="${S3_XMLNS}"><Name>repo</Name><Prefix></Prefix><MaxKeys>1000</MaxKeys>` +
      '<IsTruncated>false</IsTruncated>' +
      '<Contents><Key>a</Key><LastModified>2026-01-02T03:04:05.000Z</LastModified><Size>3</Size><Owner></Owner></Contents>' +
      '<Contents><Key>b</Key><LastModified>2026-01-02T03:04:05.678Z</LastModified><Size>0</Size></Contents>' +
      '</ListBucketResult>',
  );
});

t.test('the namespace is on every root but Error, unless asked otherwise', async (t) => {
  t.equal(buildXml('Error', { Code: 'X' }), `${DECL}<Error><Code>X</Code></Error>`);
  t.equal(buildXml('LocationConstraint', {}, { namespace: true }), `${DECL}<LocationConstraint xmlns="${S3_XMLNS}"></LocationConstraint>`);
  t.equal(buildXml('X', { A: true }, { namespace: false }), `${DECL}<X><A>true</A></X>`);
});

t.test('buildXmlBuffer writes what buildXml writes, with pre-encoded markup in place', async (t) => {
  const contents = [{ Key: 'ünï<&>', Size: 1 }, { Key: '😀', Size: 2 }];
  const rest = { Name: 'repo', Prefix: 'p/', IsTruncated: true, CommonPrefixes: [{ Prefix: 'p/q/' }] };
  const expected = buildXml('ListBucketResult', { Name: rest.Name, Prefix: rest.Prefix, Contents: contents, CommonPrefixes: rest.CommonPrefixes, IsTruncated: true });
  const raw = new RawXmlBytes(Buffer.from(contents.map((c) => buildXmlFragment('Contents', c)).join('')));
  const bytes = buildXmlBuffer('ListBucketResult', { Name: rest.Name, Prefix: rest.Prefix, Contents: raw, CommonPrefixes: rest.CommonPrefixes, IsTruncated: true });
  t.equal(bytes.toString('utf8'), expected);
  t.equal(buildXmlBuffer('Error', { Code: 'X' }).toString(), buildXml('Error', { Code: 'X' }), 'no markup, no namespace on Error');
  const markup = raw.bytes.toString();
  t.equal(buildXmlBuffer('A', { B: raw, D: 'x', C: raw }).toString(), `${DECL}<A xmlns="${S3_XMLNS}">${markup}<D>x</D>${markup}</A>`, 'markup between elements, twice');
});

t.test('buildXml refuses what it cannot write', async (t) => {
  t.throws(() => buildXml('A', { 'not a name': 'x' }), TypeError);
  t.throws(() => buildXml('1A', {}), TypeError);
  t.throws(() => buildXml('A', { B: [[1]] }), TypeError);
  t.throws(() => buildXml('A', { B: () => 1 }), TypeError);
});

t.test('text is escaped, with every troublesome character as a reference', async (t) => {
  const xml = buildXml('A', { K: `&<>"'\t\n\r\x00\x01\x1f\x7f\x85\u2028\uFFFE\uD800x\uDC00é😀` }, { namespace: false });
  t.equal(
    xml,
    `${DECL}<A><K>&amp;&lt;&gt;&quot;&apos;&#x9;&#xA;&#xD;&#x0;&#x1;&#x1F;&#x7F;&#x85;&#x2028;&#xFFFE;&#xD800;x&#xDC00;é😀</K></A>`,
  );
});

t.test('parseXml keeps values as sent and makes the named paths arrays', async (t) => {
  const doc = parseXml(
    `${DECL}<CompleteMultipartUpload xmlns="${S3_XMLNS}">\r\n  <Part>\r\n    <PartNumber>0001</PartNumber>\r\n` +
      '    <ETag>&quot;abc&quot;</ETag>\r\n  </Part>\r\n  <Flag> true </Flag>\r\n  <Empty/><Key>a\r\nb&#xD;c</Key>\r\n</CompleteMultipartUpload>',
    { arrays: ['CompleteMultipartUpload.Part'] },
  );
  t.same(doc, {
    CompleteMultipartUpload: {
      Part: [{ PartNumber: '0001', ETag: '"abc"' }],
      Flag: ' true ',
      Empty: '',
      Key: 'a\nb\rc',
    },
  });
  t.same(parseXml('<Delete><Object><Key>k</Key></Object></Delete>'), { Delete: { Object: { Key: 'k' } } });
});

t.test('references decode exactly, CDATA stays literal, unknown entities are malformed', async (t) => {
  t.same(parseXml('<A>&#x1;&#0;&#xD800;&#128512;&lt;&apos;</A>'), { A: '\x01\x00\uD800😀<\'' });
  t.same(parseXml('<A><![CDATA[&amp;<]]>&amp;</A>'), { A: '&amp;<&' });
  t.same(parseXml('\uFEFF<A>raw \x01 control</A>'), { A: 'raw \x01 control' });
  t.equal(decodeXmlText('no references'), 'no references');
  for (const text of ['<A>&nbsp;</A>', '<A>&foo;</A>', '<A>a & b</A>', '<A>&#x110000;</A>', '<A>&#xZZ;</A>']) malformed(t, text);
});

t.test('bytes are read as strict UTF-8', async (t) => {
  t.same(parseXml(Buffer.from('\uFEFF<A>é😀</A>')), { A: 'é😀' });
  t.throws(() => parseXml(Buffer.from([0x3c, 0x41, 0x3e, 0xff, 0x3c, 0x2f, 0x41, 0x3e])), { code: 'MalformedXML' });
});

t.test('anything but one well-formed root element is MalformedXML', async (t) => {
  for (const text of ['', '   ', 'garbage', '<A>', '<A><B></A>', '<A/><B/>', '<A/><A/>', '<A></a>', '<?xml version="1.0"?>']) {
    malformed(t, text);
  }
});

t.test('DOCTYPE is rejected, so no entity expansion is possible', async (t) => {
  const laughs =
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><A>&lol2;</A>';
  malformed(t, laughs);
  malformed(t, '<!doctype A><A/>');
  malformed(t, '<!DOCTYPE A SYSTEM "file:///etc/passwd"><A/>');
});

// Keys no XML 1.0 parser can object to, and the keys that need encoding-type=url.
const XML_SAFE_KEYS = ['plain', 'cr\rlf\r\ntab\tnl\n', 'a&b<c>d"e\'f', 'é/ü/日本/😀', 'del\x7fnel\x85ls\u2028', ' lead and trail '];
const XML_FORBIDDEN_KEYS = ['ctl\x01\x02\x1f', 'nul\x00'];
const URL_TRICKY_KEYS = ['space + plus %25 ~ * ! ( ) ?=#', 'dir/sub dir/'];

function listing(keys: string[], encodingType?: string): string {
  return buildXml('ListBucketResult', {
    Name: 'repo',
    Prefix: '',
    KeyCount: keys.length,
    MaxKeys: 1000,
    EncodingType: encodingType,
    IsTruncated: false,
    Contents: keys.map((key) => ({
      Key: encodingType === 'url' ? encodeKeyForUrl(key) : key,
      LastModified: new Date(Date.UTC(2026, 0, 2, 3, 4, 5)),
      ETag: '"d41d8cd98f00b204e9800998ecf8427e"',
      Size: 0,
      StorageClass: 'STANDARD',
    })),
  });
}

t.test('every key round-trips through our own parser, even those XML 1.0 lacks', async (t) => {
  const keys = [...XML_SAFE_KEYS, ...XML_FORBIDDEN_KEYS, ...URL_TRICKY_KEYS, 'lone\uD800surrogate'];
  const doc = parseXml(listing(keys), { arrays: ['ListBucketResult.Contents'] });
  const contents = (doc.ListBucketResult as { Contents: { Key: string }[] }).Contents;
  t.same(
    contents.map((c) => c.Key),
    keys,
  );
});

// botocore's own rest-xml parser (expat underneath) on the ListObjectsV2 output shape;
// with "url" the keys are decoded as botocore decodes listings it asked to be URL-encoded.
const BOTOCORE_LIST = `
import sys, json, botocore.session, botocore.parsers
from botocore.compat import unquote_str
shape = botocore.session.get_session().get_service_model('s3').operation_model('ListObjectsV2').output_shape
try:
    parsed = botocore.parsers.create_parser('rest-xml').parse(
        {'body': sys.stdin.buffer.read(), 'headers': {}, 'status_code': 200}, shape)
except Exception as e:
    print(json.dumps({'error': type(e).__name__})); sys.exit(0)
keys = [c['Key'] for c in parsed.get('Contents', [])]
if sys.argv[1] == 'url': keys = [unquote_str(k) for k in keys]
print(json.dumps({'keys': keys, 'truncated': parsed['IsTruncated'], 'count': parsed['KeyCount']}))
`;

function botocoreList(xml: string, mode: 'plain' | 'url'): { keys?: string[]; error?: string; truncated?: boolean; count?: number } {
  return JSON.parse(execFileSync('python3', ['-c', BOTOCORE_LIST, mode], { input: xml, encoding: 'utf8' }));
}

t.test('botocore parses our listings and gets every XML-safe key back exactly', async (t) => {
  const result = botocoreList(listing(XML_SAFE_KEYS), 'plain');
  t.same(result, { keys: XML_SAFE_KEYS, truncated: false, count: XML_SAFE_KEYS.length });
});

t.test('keys XML 1.0 cannot carry need encoding-type=url, which botocore decodes exactly', async (t) => {
  t.same(botocoreList(listing(XML_FORBIDDEN_KEYS.slice(0, 1)), 'plain'), { error: 'ResponseParserError' });
  const all = [...XML_SAFE_KEYS, ...XML_FORBIDDEN_KEYS, ...URL_TRICKY_KEYS];
  t.same(botocoreList(listing(all, 'url'), 'url').keys, all);
});

t.test('Python xml.etree finds our documents well-formed and reads the same text', async (t) => {
  const script = `
import sys, json, xml.etree.ElementTree as ET
root = ET.fromstring(sys.stdin.buffer.read())
print(json.dumps([e.text or '' for e in root.iter('{http://s3.amazonaws.com/doc/2006-03-01/}Key')]))`;
  const out = execFileSync('python3', ['-c', script], { input: listing(XML_SAFE_KEYS), encoding: 'utf8' });
  t.same(JSON.parse(out), XML_SAFE_KEYS);
});

t.test('botocore reads our error bodies', async (t) => {
  const err = new S3Error('NoSuchKey', undefined, { Key: 'a&b' });
  const body = errorXml(err, { requestId: 'req-1', hostId: 'host-1', resource: '/repo/a&b' });
  const script = `
import sys, json, botocore.session, botocore.parsers
shape = botocore.session.get_session().get_service_model('s3').operation_model('GetObject').output_shape
parsed = botocore.parsers.create_parser('rest-xml').parse(
    {'body': sys.stdin.buffer.read(), 'headers': {}, 'status_code': 404}, shape)
print(json.dumps(parsed['Error']))`;
  const parsed = JSON.parse(execFileSync('python3', ['-c', script], { input: body, encoding: 'utf8' }));
  t.match(parsed, { Code: 'NoSuchKey', Message: 'The specified key does not exist.' });
});

t.test('we parse the DeleteObjects body botocore sends, raw control characters included', async (t) => {
  const script = `
import sys, botocore.session, botocore.serialize
op = botocore.session.get_session().get_service_model('s3').operation_model('DeleteObjects')
req = botocore.serialize.create_serializer('rest-xml').serialize_to_request(
    {'Bucket': 'b', 'Delete': {'Objects': [{'Key': 'a&<>"\\'\\u00e9\\x01\\tz'}, {'Key': 'cr\\rx'}], 'Quiet': True}}, op)
sys.stdout.buffer.write(req['body'])`;
  const body = execFileSync('python3', ['-c', script], { encoding: 'utf8' });
  const doc = parseXml(body, { arrays: ['Delete.Object'] });
  // A raw CR is line-end-normalised to LF by any XML parser, S3's included.
  t.same(doc, { Delete: { Object: [{ Key: 'a&<>"\'é\x01\tz' }, { Key: 'cr\nx' }], Quiet: 'true' } });
});
