// The spec steps on their own: the canonical URI, query and headers, the signing-key cache, and
// the worked examples of the Amazon S3 API reference ("Signature Calculations for the
// Authorization Header", "Query String Authentication", "Transferring Payload in Multiple Chunks").
import { createHash } from 'node:crypto';
import t from 'tap';
import {
  canonicalHeaders, canonicalQuery, canonicalUri, chunkStringToSign, signatureOf, signingKey, signingKeyCacheSize, stringToSign,
} from '../../../src/s3/sigv4/canonical.js';
import { parseAuth, verifyRequest } from '../../../src/s3/sigv4/index.js';
import { parseQuery } from '../../../src/s3/sigv4/request.js';

const DOCS = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
const DOCS_NOW = Date.UTC(2013, 4, 24);
const EMPTY = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

t.test('canonicalUri keeps escapes as sent and encodes only what was left raw', async (t) => {
  t.equal(canonicalUri('/bucket/a%20b/c%2Bd.txt'), '/bucket/a%20b/c%2Bd.txt');
  t.equal(canonicalUri('/bucket/a%2Fb'), '/bucket/a%2Fb');
  t.equal(canonicalUri('/bucket/a b+c'), '/bucket/a%20b%2Bc');
  t.equal(canonicalUri("/bucket/it's(a)*!"), '/bucket/it%27s%28a%29%2A%21');
  t.equal(canonicalUri('/bucket/ünï✓'), '/bucket/%C3%BCn%C3%AF%E2%9C%93');
  t.equal(canonicalUri('/bucket/100%/x%zz'), '/bucket/100%25/x%25zz');
  t.equal(canonicalUri('/bucket/~-._'), '/bucket/~-._');
  t.equal(canonicalUri('/bucket//double/./dots/../'), '/bucket//double/./dots/../', 'no path normalisation for S3');
  t.equal(canonicalUri(''), '/');
});

t.test('canonicalQuery decodes what was sent, re-encodes per AWS and sorts by name then value', async (t) => {
  const q = (raw: string, exclude?: string[]) => canonicalQuery(parseQuery(raw), exclude);
  t.equal(q('b=2&a=1&a=0&c'), 'a=0&a=1&b=2&c=');
  t.equal(q('prefix=a+b%7ec%2f&empty=&flag'), 'empty=&flag=&prefix=a%20b~c%2F');
  t.equal(q("k=it's%20(x)*!"), 'k=it%27s%20%28x%29%2A%21');
  t.equal(q('%C3%BC=%E2%9C%93&u=%c3%bc'), '%C3%BC=%E2%9C%93&u=%C3%BC', 'sorted by encoded name (decoded, u would come first)');
  t.equal(q('bad=%zz%'), 'bad=%25zz%25');
  t.equal(q('X-Amz-Signature=abc&X-Amz-Date=1', ['X-Amz-Signature']), 'X-Amz-Date=1');
  t.equal(q(''), '');
  t.equal(q('&&a=1&&'), 'a=1');
});

t.test('canonicalHeaders: listed order, values trimmed, inner runs of spaces collapsed', async (t) => {
  const headers: Record<string, string> = { host: 'h', 'x-amz-meta-a': '  a   b \t c  ', 'x-amz-meta-b': 'x\r\n y', expect: '100-continue' };
  t.equal(canonicalHeaders((n) => headers[n], ['host', 'x-amz-meta-a', 'x-amz-meta-b', 'expect', 'missing']),
    'host:h\nx-amz-meta-a:a b c\nx-amz-meta-b:x y\nexpect:100-continue\nmissing:\n');
});

t.test('signingKey derives the documented key and caches a bounded number of keys', async (t) => {
  // AWS General Reference, "Examples of how to derive a signing key for Signature Version 4".
  const key = signingKey('wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', '20120215', 'us-east-1', 'iam');
  t.equal(key.toString('hex'), 'f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d');
  key.fill(0); // callers get a copy: the cache cannot be corrupted through it
  t.equal(signingKey('wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY', '20120215', 'us-east-1', 'iam').toString('hex'), 'f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d');
  for (let i = 0; i < 1000; i++) signingKey(`secret-${i}`, '20261122', 'r', 's3');
  t.equal(signingKeyCacheSize(), 256);
});

function docsRequest(method: string, url: string, headers: Record<string, string>, signedHeaders: string, signature: string) {
  return {
    method, url,
    headers: { ...headers, authorization: `AWS4-HMAC-SHA256 Credential=${DOCS.accessKeyId}/20130524/us-east-1/s3/aws4_request,SignedHeaders=${signedHeaders},Signature=${signature}` },
  };
}

t.test("the S3 API reference's worked examples verify", async (t) => {
  const host = 'examplebucket.s3.amazonaws.com';
  const examples = [
    docsRequest('GET', '/test.txt', { host, range: 'bytes=0-9', 'x-amz-content-sha256': EMPTY, 'x-amz-date': '20130524T000000Z' },
      'host;range;x-amz-content-sha256;x-amz-date', 'f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41'),
    docsRequest('PUT', '/test%24file.text', {
      host, date: 'Fri, 24 May 2013 00:00:00 GMT', 'x-amz-date': '20130524T000000Z', 'x-amz-storage-class': 'REDUCED_REDUNDANCY',
      'x-amz-content-sha256': '44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072',
    }, 'date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class', '98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd'),
    docsRequest('GET', '/?lifecycle', { host, 'x-amz-content-sha256': EMPTY, 'x-amz-date': '20130524T000000Z' },
      'host;x-amz-content-sha256;x-amz-date', 'fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543'),
    docsRequest('GET', '/?max-keys=2&prefix=J', { host, 'x-amz-content-sha256': EMPTY, 'x-amz-date': '20130524T000000Z' },
      'host;x-amz-content-sha256;x-amz-date', '34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7'),
    {
      method: 'GET', headers: { host },
      url: '/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request'
        + '&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host'
        + '&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404',
    },
  ];
  for (const req of examples) {
    const auth = parseAuth(req)!;
    t.equal(verifyRequest(auth, DOCS.secret, { now: DOCS_NOW }).accessKeyId, DOCS.accessKeyId, `${req.method} ${req.url}`);
  }
});

t.test("the chunk signatures of the API reference's aws-chunked example", async (t) => {
  const headers = {
    host: 's3.amazonaws.com', 'x-amz-date': '20130524T000000Z', 'x-amz-storage-class': 'REDUCED_REDUNDANCY',
    'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', 'content-encoding': 'aws-chunked',
    'x-amz-decoded-content-length': '66560', 'content-length': '66824',
  };
  const req = docsRequest('PUT', '/examplebucket/chunkObject.txt', headers,
    'content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class',
    '4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9');
  const { chunkSigning } = verifyRequest(parseAuth(req)!, DOCS.secret, { now: DOCS_NOW });
  const sha = (n: number) => createHash('sha256').update(Buffer.alloc(n, 'a')).digest('hex');
  let previous = chunkSigning!.seedSignature;
  const expected = [
    [65536, 'ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648'],
    [1024, '0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497'],
    [0, 'b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9'],
  ] as const;
  for (const [size, signature] of expected) {
    previous = signatureOf(chunkSigning!.signingKey, chunkStringToSign(chunkSigning!.amzDate, chunkSigning!.scope, previous, sha(size)));
    t.equal(previous, signature, `chunk of ${size} bytes`);
  }
  t.match(stringToSign('20130524T000000Z', 's', 'c'), /^AWS4-HMAC-SHA256\n20130524T000000Z\ns\n[0-9a-f]{64}$/);
});
