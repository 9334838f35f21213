// Decoding aws-chunked bodies (after HTTP de-chunking): `<hex size>[;chunk-signature=<sig>]\r\n
// <data>\r\n … 0[;chunk-signature=…]\r\n[trailer lines]\r\n`. Every chunk signature is checked
// against the previous one (signed modes); trailers are collected for the checksum checks.
// Data passes through as it arrives: memory stays bounded by one incoming buffer.
import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { hmacHex, sha256Hex } from './canonical.js';
import { AuthError } from './errors.js';
import { constantTimeEqual } from './verify.js';

export interface ChunkSigning {
  signingKey: Buffer;
  amzDate: string;
  scope: string;
  seedSignature: string;
}

const EMPTY_SHA256 = sha256Hex('');
const MAX_LINE = 4096;

type State = 'header' | 'data' | 'data-crlf' | 'trailer' | 'done';

export class AwsChunkedDecoder extends Transform {
  private state: State = 'header';
  private line = '';
  private remaining = 0;
  private previousSignature: string;
  private chunkSignature: string | null = null;
  private chunkHash = createHash('sha256');
  private decoded = 0;
  readonly trailers: Record<string, string> = {};
  private trailerSignature: string | null = null;
  private trailerText = '';

  constructor(private readonly opts: { signing?: ChunkSigning; expectedLength?: number }) {
    super();
    this.previousSignature = opts.signing?.seedSignature ?? '';
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    try {
      this.consume(chunk);
      done();
    } catch (err) {
      done(err as Error);
    }
  }

  override _flush(done: TransformCallback): void {
    if (this.state !== 'done' && !(this.state === 'trailer' && this.line === '')) {
      done(new AuthError('IncompleteBody', 'The request body ended before the final aws-chunked chunk'));
      return;
    }
    if (this.opts.expectedLength !== undefined && this.decoded !== this.opts.expectedLength) {
      done(new AuthError('IncompleteBody', `x-amz-decoded-content-length says ${this.opts.expectedLength} bytes, the body had ${this.decoded}`));
      return;
    }
    done();
  }

  private consume(buf: Buffer): void {
    let at = 0;
    while (at < buf.length) {
      if (this.state === 'data') {
        const take = Math.min(this.remaining, buf.length - at);
        const piece = buf.subarray(at, at + take);
        if (this.opts.signing) this.chunkHash.update(piece);
        this.push(piece);
        this.decoded += take;
        this.remaining -= take;
        at += take;
        if (this.remaining === 0) this.state = 'data-crlf';
        continue;
      }
      if (this.state === 'done') return; // anything after the final CRLF is ignored
      const newline = buf.indexOf(0x0a, at);
      const end = newline < 0 ? buf.length : newline + 1;
      this.line += buf.toString('latin1', at, end);
      at = end;
      if (this.line.length > MAX_LINE) throw new AuthError('IncompleteBody', 'An aws-chunked header line is too long');
      if (newline < 0) return;
      const line = this.line.replace(/\r?\n$/, '');
      this.line = '';
      this.onLine(line);
    }
  }

  private onLine(line: string): void {
    if (this.state === 'data-crlf') {
      if (line !== '') throw new AuthError('IncompleteBody', 'An aws-chunked chunk is not followed by CRLF');
      this.verifyChunk();
      this.state = 'header';
      return;
    }
    if (this.state === 'trailer') {
      if (line === '') {
        this.verifyTrailer();
        this.state = 'done';
        return;
      }
      const colon = line.indexOf(':');
      if (colon <= 0) throw new AuthError('IncompleteBody', 'A malformed aws-chunked trailer');
      const [name, value] = [line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim()];
      if (name === 'x-amz-trailer-signature') this.trailerSignature = value;
      else {
        this.trailers[name] = value;
        this.trailerText += `${name}:${value}\n`;
      }
      return;
    }
    const [sizeText, ...extensions] = line.split(';');
    if (!/^[0-9a-fA-F]{1,16}$/.test(sizeText ?? '')) throw new AuthError('IncompleteBody', 'A malformed aws-chunked chunk header');
    this.remaining = parseInt(sizeText!, 16);
    this.chunkSignature = extensions.find((e) => e.startsWith('chunk-signature='))?.slice('chunk-signature='.length) ?? null;
    if (this.opts.signing && !this.chunkSignature) throw new AuthError('SignatureDoesNotMatch', 'A chunk of a signed aws-chunked body has no signature');
    if (this.remaining === 0) {
      this.verifyChunk();
      this.state = 'trailer';
    } else {
      this.state = 'data';
    }
  }

  /** Signed-trailer mode: the trailer lines are signed after the last chunk's signature. */
  private verifyTrailer(): void {
    const signing = this.opts.signing;
    if (!signing || this.trailerSignature === null) return;
    const toSign = ['AWS4-HMAC-SHA256-TRAILER', signing.amzDate, signing.scope, this.previousSignature, sha256Hex(this.trailerText)].join('\n');
    if (!constantTimeEqual(hmacHex(signing.signingKey, toSign), this.trailerSignature)) {
      throw new AuthError('SignatureDoesNotMatch', 'The trailer signature we calculated does not match the signature you provided.');
    }
  }

  private verifyChunk(): void {
    const signing = this.opts.signing;
    if (!signing) return;
    const toSign = ['AWS4-HMAC-SHA256-PAYLOAD', signing.amzDate, signing.scope, this.previousSignature, EMPTY_SHA256, this.chunkHash.digest('hex')].join('\n');
    const expected = hmacHex(signing.signingKey, toSign);
    if (!constantTimeEqual(expected, this.chunkSignature ?? '')) {
      throw new AuthError('SignatureDoesNotMatch', 'The chunk signature we calculated does not match the signature you provided.');
    }
    this.previousSignature = expected;
    this.chunkHash = createHash('sha256');
  }
}

/** Fails the stream with XAmzContentSHA256Mismatch at its end unless the body hashes to `expected`. */
export class PayloadHashCheck extends Transform {
  private readonly hash = createHash('sha256');

  constructor(private readonly expected: string) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.hash.update(chunk);
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    const actual = this.hash.digest('hex');
    if (actual !== this.expected.toLowerCase()) {
      done(new AuthError('XAmzContentSHA256Mismatch', 'The provided x-amz-content-sha256 header does not match what was computed.', {
        ClientComputedContentSHA256: this.expected, S3ComputedContentSHA256: actual,
      }));
      return;
    }
    done();
  }
}
