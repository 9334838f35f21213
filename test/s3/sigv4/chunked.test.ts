// aws-chunked bodies: signed chunks built here from the spec's chunk string to sign with the
// SDK-derived signing key, the unsigned-trailer body the JS SDK sends, split at every byte
// boundary; tampering, malformed framing, and bounded memory.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import t from 'tap';
import { createAwsChunkedDecoder, parseAuth, verifyRequest, type AwsChunkedOptions, type ChunkSigning } from '../../../src/s3/sigv4/index.js';
import { CREDENTIALS, NOW, REGION, sdkSigningKey, signWithSdk } from './sdk-signer.js';

const sha = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
const AMZ_DATE = '20261122T120000Z';
const SCOPE = `20261122/${REGION}/s3/aws4_request`;

/** The decoded body and the trailers, or the error the decoder failed with. */
async function decode(pieces: Buffer[], opts: AwsChunkedOptions) {
  const decoder = createAwsChunkedDecoder(opts);
  const out: Buffer[] = [];
  // 'data' events show each buffer as pushed (an async iterator's read() would concatenate them).
  decoder.on('data', (chunk: Buffer) => out.push(chunk));
  try {
    await pipeline(Readable.from(pieces, { objectMode: false }), decoder);
    return { body: Buffer.concat(out), pieces: out, trailers: await decoder.trailers() };
  } catch (err) {
    const trailersFailed = await decoder.trailers().then(() => false, () => true);
    return { error: err as Error & { code?: string }, trailersFailed };
  }
}

function split(body: Buffer, sizes: () => number): Buffer[] {
  const pieces: Buffer[] = [];
  for (let at = 0; at < body.length;) {
    const size = Math.max(1, sizes());
    pieces.push(body.subarray(at, at + size));
    at += size;
  }
  return pieces;
}

const SPLITS: Array<[string, (b: Buffer) => Buffer[]]> = [
  ['whole', (b) => [b]],
  ['1 byte at a time', (b) => split(b, () => 1)],
  ['random splits', (b) => split(b, () => Math.floor(Math.random() * 200))],
  ['random large splits', (b) => split(b, () => Math.floor(Math.random() * 70_000))],
];

/** A seed signature from a request the SDK signed, and what our verifier derives from it. */
async function signedRequest(mode: string): Promise<ChunkSigning> {
  const req = await signWithSdk({ method: 'PUT', path: '/bucket/chunked.bin', signed: { 'x-amz-content-sha256': mode, 'content-encoding': 'aws-chunked' } });
  const verified = verifyRequest(parseAuth(req)!, CREDENTIALS.secretAccessKey, { now: NOW });
  return verified.chunkSigning!;
}

/** A chunk-signed body built from the spec, with the SDK's own signing key. */
async function signedBody(chunks: Buffer[], seed: string, trailers?: Record<string, string>): Promise<Buffer> {
  const key = await sdkSigningKey();
  const sign = (toSign: string) => createHmac('sha256', key).update(toSign).digest('hex');
  let previous = seed;
  const parts: Buffer[] = [];
  for (const chunk of [...chunks, Buffer.alloc(0)]) {
    previous = sign(['AWS4-HMAC-SHA256-PAYLOAD', AMZ_DATE, SCOPE, previous, sha(''), sha(chunk)].join('\n'));
    parts.push(Buffer.from(`${chunk.length.toString(16)};chunk-signature=${previous}\r\n`), chunk);
    if (chunk.length > 0 || !trailers) parts.push(Buffer.from('\r\n'));
  }
  if (trailers) {
    const text = Object.entries(trailers).map(([n, v]) => `${n}:${v}\n`).join('');
    const signature = sign(['AWS4-HMAC-SHA256-TRAILER', AMZ_DATE, SCOPE, previous, sha(text)].join('\n'));
    parts.push(Buffer.from(`${text.replace(/\n/g, '\r\n')}x-amz-trailer-signature:${signature}\r\n\r\n`));
  }
  return Buffer.concat(parts);
}

t.test('signed chunks decode at any split; one flipped byte anywhere fails', async (t) => {
  const signing = await signedRequest('STREAMING-AWS4-HMAC-SHA256-PAYLOAD');
  t.same(signing.signingKey, await sdkSigningKey(), 'our key derivation matches the SDK');
  const chunks = [randomBytes(65536), randomBytes(1234), Buffer.from('last bit')];
  const data = Buffer.concat(chunks);
  const body = await signedBody(chunks, signing.seedSignature);
  for (const [name, how] of SPLITS) {
    const result = await decode(how(body), { signed: signing, trailer: false, expectedDecodedLength: data.length });
    t.ok(result.body?.equals(data), name);
    t.same(result.trailers, {});
  }
  for (const at of [10, 200, 65_600, body.length - 90]) {
    const flipped = Buffer.from(body);
    flipped[at] = flipped[at]! ^ 1;
    const result = await decode([flipped], { signed: signing, trailer: false });
    t.match(result.error?.code, /^(SignatureDoesNotMatch|InvalidRequest)$/, `byte ${at}`);
  }
  const inData = Buffer.from(body);
  inData[300] = inData[300]! ^ 1;
  t.equal((await decode([inData], { signed: signing, trailer: false })).error?.code, 'SignatureDoesNotMatch');
  const otherSeed = await signedBody(chunks, 'f'.repeat(64));
  t.equal((await decode([otherSeed], { signed: signing, trailer: false })).error?.code, 'SignatureDoesNotMatch', 'chained from the request signature');
});

t.test('signed chunks are passed on only once verified', async (t) => {
  const signing = await signedRequest('STREAMING-AWS4-HMAC-SHA256-PAYLOAD');
  const body = await signedBody([Buffer.alloc(5000, 'a'), Buffer.alloc(5000, 'b')], signing.seedSignature);
  const tampered = Buffer.from(body);
  tampered[body.indexOf('bbbb') + 10] = 0x63;
  const decoder = createAwsChunkedDecoder({ signed: signing, trailer: false });
  const seen: Buffer[] = [];
  decoder.on('data', (chunk: Buffer) => seen.push(chunk));
  const failed = new Promise<Error>((resolve) => decoder.on('error', resolve));
  decoder.end(tampered);
  t.equal(((await failed) as Error & { code: string }).code, 'SignatureDoesNotMatch');
  t.equal(Buffer.concat(seen).toString(), 'a'.repeat(5000), 'the tampered chunk never left the decoder');
});

t.test('signed chunks with a signed trailer', async (t) => {
  const signing = await signedRequest('STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER');
  const chunks = [randomBytes(3000), randomBytes(17)];
  const trailers = { 'x-amz-checksum-crc32c': 'sOO8/Q==' };
  const body = await signedBody(chunks, signing.seedSignature, trailers);
  for (const [name, how] of SPLITS) {
    const result = await decode(how(body), { signed: signing, trailer: true, expectedDecodedLength: 3017 });
    t.same(result.trailers, trailers, name);
    t.ok(result.body?.equals(Buffer.concat(chunks)));
  }
  const changed = Buffer.from(body.toString('latin1').replace('sOO8/Q==', 'sOO8/R=='), 'latin1');
  t.equal((await decode([changed], { signed: signing, trailer: true })).error?.code, 'SignatureDoesNotMatch');
  const unsignedTrailer = Buffer.from(body.toString('latin1').replace(/x-amz-trailer-signature:[0-9a-f]+\r\n/, ''), 'latin1');
  t.equal((await decode([unsignedTrailer], { signed: signing, trailer: true })).error?.code, 'SignatureDoesNotMatch');
});

t.test("the JS SDK's streamed PutObject body: unsigned 64 KiB chunks and a checksum trailer", async (t) => {
  const data = randomBytes(10 * 1024 * 1024);
  const parts: Buffer[] = [];
  for (let at = 0; at < data.length; at += 65536) parts.push(Buffer.from('10000\r\n'), data.subarray(at, at + 65536), Buffer.from('\r\n'));
  parts.push(Buffer.from('0\r\n' + 'x-amz-checksum-crc32:MhCGww==\r\n' + '\r\n'));
  const body = Buffer.concat(parts);
  for (const [name, how] of SPLITS.filter(([n]) => n !== '1 byte at a time')) {
    const result = await decode(how(body), { trailer: true, expectedDecodedLength: 10485760 });
    t.same(result.trailers, { 'x-amz-checksum-crc32': 'MhCGww==' }, name);
    t.ok(result.body?.equals(data));
  }
  const small = Buffer.from('5\r\nhello\r\n0\r\nx-amz-checksum-crc32:NhCmhg==\r\n\r\n');
  const byteWise = await decode(split(small, () => 1), { trailer: true, expectedDecodedLength: 5 });
  t.equal(byteWise.body?.toString(), 'hello');
  t.same(byteWise.trailers, { 'x-amz-checksum-crc32': 'NhCmhg==' });
  const noFinalLine = await decode([Buffer.from('5\r\nhello\r\n0\r\nx-amz-checksum-crc32:NhCmhg==\r\n')], { trailer: true });
  t.same(noFinalLine.trailers, { 'x-amz-checksum-crc32': 'NhCmhg==' }, 'a missing final empty line is tolerated');
});

t.test('malformed framing, truncation and wrong lengths', async (t) => {
  const cases: Array<[string, string, AwsChunkedOptions, string]> = [
    ['size is not hex', 'zz\r\nhello\r\n0\r\n\r\n', { trailer: false }, 'InvalidRequest'],
    ['data not followed by CRLF', '5\r\nhelloX\r\n0\r\n\r\n', { trailer: false }, 'InvalidRequest'],
    ['truncated data', '5\r\nhel', { trailer: false }, 'IncompleteBody'],
    ['no final chunk', '5\r\nhello\r\n', { trailer: false }, 'IncompleteBody'],
    ['partial trailer line', '5\r\nhello\r\n0\r\nx-amz-checksum', { trailer: true }, 'IncompleteBody'],
    ['data after the end', '5\r\nhello\r\n0\r\n\r\nmore', { trailer: false }, 'InvalidRequest'],
    ['trailer without x-amz-trailer', '5\r\nhello\r\n0\r\nx-amz-checksum-crc32:x\r\n\r\n', { trailer: false }, 'InvalidRequest'],
    ['trailer line without a name', '5\r\nhello\r\n0\r\n:x\r\n\r\n', { trailer: true }, 'InvalidRequest'],
    ['shorter than declared', '5\r\nhello\r\n0\r\n\r\n', { trailer: false, expectedDecodedLength: 6 }, 'IncompleteBody'],
    ['longer than declared', '5\r\nhello\r\n0\r\n\r\n', { trailer: false, expectedDecodedLength: 4 }, 'IncompleteBody'],
    ['a header line without end', `5${';x'.repeat(5000)}`, { trailer: false }, 'InvalidRequest'],
    ['signed mode without a chunk signature', '5\r\nhello\r\n0\r\n\r\n', { trailer: false, signed: { seedSignature: '0'.repeat(64), signingKey: Buffer.alloc(32), amzDate: AMZ_DATE, scope: SCOPE } }, 'InvalidRequest'],
  ];
  for (const [name, body, opts, code] of cases) {
    const result = await decode([Buffer.from(body)], opts);
    t.equal(result.error?.code, code, name);
    t.equal(result.trailersFailed, true, 'trailers() fails with the stream');
  }
  const big = `${(17 * 1024 * 1024).toString(16)};chunk-signature=${'0'.repeat(64)}\r\n`;
  const signed = { seedSignature: '0'.repeat(64), signingKey: Buffer.alloc(32), amzDate: AMZ_DATE, scope: SCOPE };
  t.equal((await decode([Buffer.from(big)], { trailer: false, signed })).error?.code, 'InvalidRequest', 'signed chunks are held, so their size is capped');
});

t.test('bounded memory: chunk data is passed on as the received buffers, never copied', async (t) => {
  const data = randomBytes(3 * 1024 * 1024);
  const framed = Buffer.concat([Buffer.from(`${data.length.toString(16)}\r\n`), data, Buffer.from('\r\n0\r\n\r\n')]);
  const pieces = split(framed, () => 65536).map((p) => Buffer.from(p)); // each piece its own memory, as from a socket
  const sources = new Set(pieces.map((p) => p.buffer));
  const result = await decode(pieces, { trailer: false });
  t.ok(result.body?.equals(data));
  t.ok(result.pieces!.every((p) => sources.has(p.buffer as ArrayBuffer)), 'every output buffer is a view of an input buffer');

  const signing = await signedRequest('STREAMING-AWS4-HMAC-SHA256-PAYLOAD');
  const signedPieces = split(await signedBody([data.subarray(0, 1024 * 1024 + 7)], signing.seedSignature), () => 65536).map((p) => Buffer.from(p));
  const signedSources = new Set(signedPieces.map((p) => p.buffer));
  const signedResult = await decode(signedPieces, { trailer: false, signed: signing });
  t.equal(signedResult.body?.length, 1024 * 1024 + 7);
  t.ok(signedResult.pieces!.every((p) => signedSources.has(p.buffer as ArrayBuffer)), 'a held signed chunk is not copied either');
});
