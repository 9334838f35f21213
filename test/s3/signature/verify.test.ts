// Our SigV4 verifier cross-checked against the AWS SDK's own signer (@smithy/signature-v4):
// header and presigned signatures on awkward keys and queries, chunk-signed bodies, expiry,
// clock skew, and the debugging details of a mismatch.
import { createHash, createHmac } from 'node:crypto';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { createScope, getSigningKey, SignatureV4 } from '@smithy/signature-v4';
import t from 'tap';
import { AuthError, AwsChunkedDecoder, parseAuth, verifyV4, type RawRequest } from '../../../src/s3/signature/index.js';

class Sha256 {
  private readonly hash;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    const key = typeof secret === 'string' ? secret : secret instanceof ArrayBuffer ? Buffer.from(secret)
      : secret ? Buffer.from(secret.buffer, secret.byteOffset, secret.byteLength) : undefined;
    this.hash = key !== undefined ? createHmac('sha256', key) : createHash('sha256');
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(typeof data === 'string' ? data : data instanceof ArrayBuffer ? Buffer.from(data) : Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {}
}

const credentials = { accessKeyId: 'TKTESTKEY00000000001', secretAccessKey: 'tuk-secret with spaces+/=' };
const signer = new SignatureV4({ credentials, region: 'eu-west-3', service: 's3', sha256: Sha256, uriEscapePath: false, applyChecksum: false });
const strict = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
const NOW = new Date('2026-11-22T12:00:00Z');

async function signed(key: string, query: Record<string, string>, opts: { presign?: boolean; payload?: string } = {}) {
  const path = `/bucket/${key.split('/').map(strict).join('/')}`;
  const request = {
    method: 'PUT', protocol: 'http:', hostname: '127.0.0.1', port: 9000, path, query,
    headers: { host: '127.0.0.1:9000', 'x-amz-content-sha256': opts.payload ?? 'UNSIGNED-PAYLOAD', 'x-amz-meta-note': '  two  spaces ' },
  };
  const out = opts.presign
    ? await signer.presign(request, { signingDate: NOW, expiresIn: 300 })
    : await signer.sign(request, { signingDate: NOW });
  const rawQuery = Object.entries(out.query ?? {}).map(([k, v]) => `${strict(k)}=${strict(String(v))}`).join('&');
  const headers = Object.fromEntries(Object.entries(out.headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
  const raw: RawRequest = {
    method: 'PUT', rawPath: path, rawQuery, query: new URLSearchParams(rawQuery),
    header: (name) => headers[name], headerNames: Object.keys(headers),
  };
  return raw;
}

function verify(raw: RawRequest, now = NOW.getTime(), secret = credentials.secretAccessKey) {
  const parsed = parseAuth(raw.header, raw.query);
  if (!parsed || parsed.kind !== 'v4') throw new Error('not SigV4');
  return verifyV4(parsed, secret, raw, { now });
}

const KEYS = ['plain.txt', 'a b/c+d.txt', '100%/x', 'ünï/cödé ✓', "tilde~star*quote'(paren)", 'dir/', 'semi;colon=eq&amp'];
const QUERIES: Array<Record<string, string>> = [{}, { uploadId: 'abc/+=', partNumber: '3' }, { 'response-content-type': 'text/plain; charset=utf-8', empty: '' }];

t.test('header signatures by the SDK signer verify, for every awkward key and query', async (t) => {
  for (const key of KEYS) {
    for (const query of QUERIES) {
      const raw = await signed(key, query);
      t.doesNotThrow(() => verify(raw), `${key} ${JSON.stringify(query)}`);
    }
  }
});

t.test('presigned URLs by the SDK signer verify; they expire', async (t) => {
  for (const key of KEYS) {
    const raw = await signed(key, { 'x-id': 'PutObject' }, { presign: true });
    t.doesNotThrow(() => verify(raw), key);
  }
  const expiring = await signed('plain.txt', {}, { presign: true });
  t.throws(() => verify(expiring, NOW.getTime() + 301_000), { code: 'AccessDenied', message: 'Request has expired' });
  t.doesNotThrow(() => verify(expiring, NOW.getTime() + 299_000));

});

t.test('a wrong secret, a changed header or a changed path is refused with the debugging details', async (t) => {
  const raw = await signed('plain.txt', {});
  const err = (() => { try { verify(raw, NOW.getTime(), 'other'); } catch (e) { return e as AuthError; } })();
  t.equal(err?.code, 'SignatureDoesNotMatch');
  t.match(err?.extra.CanonicalRequest, /^PUT\n\/bucket\/plain.txt\n/);
  t.match(err?.extra.StringToSign, /^AWS4-HMAC-SHA256\n20261122T120000Z\n20261122\/eu-west-3\/s3\/aws4_request\n/);
  const tampered = { ...raw, header: (n: string) => (n === 'x-amz-meta-note' ? 'changed' : raw.header(n)) };
  t.throws(() => verify(tampered), { code: 'SignatureDoesNotMatch' });
  t.throws(() => verify({ ...raw, rawPath: '/bucket/other.txt' }), { code: 'SignatureDoesNotMatch' });
});

t.test('clock skew over 15 minutes is RequestTimeTooSkewed', async (t) => {
  const raw = await signed('plain.txt', {});
  t.doesNotThrow(() => verify(raw, NOW.getTime() + 14 * 60_000));
  t.throws(() => verify(raw, NOW.getTime() + 16 * 60_000), { code: 'RequestTimeTooSkewed' });
});

/** A chunk-signed aws-chunked body, signed with the SDK's own key derivation. */
async function signedChunkedBody(chunks: Buffer[], seed: string): Promise<Buffer> {
  const key = await getSigningKey(Sha256, credentials, '20261122', 'eu-west-3', 's3');
  const scope = createScope('20261122', 'eu-west-3', 's3');
  const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
  let previous = seed;
  const parts: Buffer[] = [];
  for (const chunk of [...chunks, Buffer.alloc(0)]) {
    const toSign = ['AWS4-HMAC-SHA256-PAYLOAD', '20261122T120000Z', scope, previous, sha(''), sha(chunk)].join('\n');
    previous = createHmac('sha256', Buffer.from(key)).update(toSign).digest('hex');
    parts.push(Buffer.from(`${chunk.length.toString(16)};chunk-signature=${previous}\r\n`), chunk, Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

t.test('chunk-signed bodies decode, at any split, and a flipped byte fails', async (t) => {
  const raw = await signed('big.bin', {}, { payload: 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD' });
  const verified = verify(raw);
  const chunks = [Buffer.alloc(70_000, 'a'), Buffer.alloc(1234, 'b')];
  const body = await signedChunkedBody(chunks, verified.seedSignature);
  const signing = { signingKey: verified.signingKey, amzDate: verified.amzDate, scope: verified.scope, seedSignature: verified.seedSignature };
  for (const split of [1, 7, 4096, body.length]) {
    const pieces = [];
    for (let i = 0; i < body.length; i += split) pieces.push(body.subarray(i, i + split));
    const out = await text(Readable.from(pieces).pipe(new AwsChunkedDecoder({ signing, expectedLength: 71_234 })));
    t.equal(out, Buffer.concat(chunks).toString(), `split every ${split} bytes`);
  }
  const flipped = Buffer.from(body);
  flipped[200] = flipped[200]! ^ 1;
  await t.rejects(text(Readable.from([flipped]).pipe(new AwsChunkedDecoder({ signing }))), { code: 'SignatureDoesNotMatch' });
  await t.rejects(text(Readable.from([body]).pipe(new AwsChunkedDecoder({ signing, expectedLength: 5 }))), { code: 'IncompleteBody' });
});

t.test('unsigned chunks with a trailer expose the trailing checksum', async (t) => {
  const body = Buffer.from('5\r\nhello\r\n0\r\nx-amz-checksum-crc32:NhCmhg==\r\n\r\n');
  const decoder = new AwsChunkedDecoder({ expectedLength: 5 });
  t.equal(await text(Readable.from([body]).pipe(decoder)), 'hello');
  t.same(decoder.trailers, { 'x-amz-checksum-crc32': 'NhCmhg==' });
});
