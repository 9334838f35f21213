// Decoding aws-chunked bodies (after HTTP de-chunking): `<hex size>[;chunk-signature=<sig>]\r\n
// <data>\r\n … 0[;chunk-signature=…]\r\n[name:value\r\n …][x-amz-trailer-signature:…\r\n]\r\n`.
// Signed chunks are checked in a chain from the request's signature and passed on only once
// verified (held as the received buffers, never copied); unsigned chunks pass straight through.
// Header lines may arrive split at any byte; memory stays bounded by one chunk.
import { createHash, type Hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { chunkStringToSign, signatureOf, trailerStringToSign } from './canonical.js';
import { constantTimeEqual } from './compare.js';
import { SigV4Error } from './errors.js';
import type { ChunkSigning } from './verify.js';

export interface AwsChunkedOptions {
  /** Verify chunk signatures (STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER]). */
  signed?: ChunkSigning;
  /** The body ends with trailer headers (…-TRAILER modes). */
  trailer: boolean;
  /** x-amz-decoded-content-length, when the client sent it. */
  expectedDecodedLength?: number;
  /** Signed chunks are held until verified; bigger ones are refused. */
  maxSignedChunkSize?: number;
}

export const DEFAULT_MAX_SIGNED_CHUNK = 16 * 1024 * 1024;
const MAX_LINE = 8 * 1024;
const MAX_TRAILERS = 64;
const TRAILER_SIGNATURE = 'x-amz-trailer-signature';

type State = 'size' | 'data' | 'data-end' | 'trailer' | 'done';

const malformed = (why: string) => new SigV4Error('InvalidRequest', `Malformed aws-chunked body: ${why}`);

export class AwsChunkedDecoder extends Transform {
  private state: State = 'size';
  private line = '';
  private remaining = 0;
  private decoded = 0;
  private previousSignature: string;
  private chunkSignature = '';
  private chunkHash: Hash | null = null;
  private held: Buffer[] = [];
  private readonly received = new Map<string, string>();
  private trailerCount = 0;
  private trailerText = '';
  private trailerSignature: string | undefined;
  private readonly settled: Promise<Record<string, string>>;
  private resolveTrailers!: (trailers: Record<string, string>) => void;
  private rejectTrailers!: (err: Error) => void;

  constructor(private readonly opts: AwsChunkedOptions) {
    super();
    this.previousSignature = opts.signed?.seedSignature ?? '';
    this.settled = new Promise((resolve, reject) => {
      this.resolveTrailers = resolve;
      this.rejectTrailers = reject;
    });
    this.settled.catch(() => {}); // the stream reports the error; an unawaited promise must not crash
  }

  /** The trailer headers (lower-case names), once the body has been read to its end. */
  trailers(): Promise<Record<string, string>> {
    return this.settled;
  }

  /** Decoded bytes so far. */
  get decodedLength(): number {
    return this.decoded;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    try {
      this.consume(chunk);
      done();
    } catch (err) {
      this.rejectTrailers(err as Error);
      done(err as Error);
    }
  }

  override _flush(done: TransformCallback): void {
    try {
      // The final empty line may be missing: the body is complete once every line is.
      if (this.state === 'trailer' && this.line === '') this.finish();
      if (this.state !== 'done') throw new SigV4Error('IncompleteBody', 'The request body ended before the final aws-chunked chunk');
      const expected = this.opts.expectedDecodedLength;
      if (expected !== undefined && this.decoded !== expected) {
        throw new SigV4Error('IncompleteBody', `x-amz-decoded-content-length is ${expected} but the body decoded to ${this.decoded} bytes`);
      }
      this.resolveTrailers(Object.fromEntries(this.received));
      done();
    } catch (err) {
      this.rejectTrailers(err as Error);
      done(err as Error);
    }
  }

  override _destroy(err: Error | null, done: (err: Error | null) => void): void {
    this.rejectTrailers(err ?? new SigV4Error('IncompleteBody', 'The request body was closed before its end'));
    done(err);
  }

  private consume(buf: Buffer): void {
    let at = 0;
    while (at < buf.length) {
      if (this.state === 'data') at = this.takeData(buf, at);
      else if (this.state === 'done') throw malformed('data after the final chunk');
      else at = this.takeLine(buf, at);
    }
  }

  private takeData(buf: Buffer, at: number): number {
    const piece = buf.subarray(at, at + this.remaining);
    if (this.chunkHash) {
      this.chunkHash.update(piece);
      this.held.push(piece);
    } else {
      this.push(piece);
    }
    this.decoded += piece.length;
    this.remaining -= piece.length;
    if (this.remaining === 0) this.state = 'data-end';
    return at + piece.length;
  }

  /** Accumulates one line (CRLF or LF ended) and handles it once complete. */
  private takeLine(buf: Buffer, at: number): number {
    const newline = buf.indexOf(0x0a, at);
    const end = newline < 0 ? buf.length : newline;
    if (this.line.length + (end - at) > MAX_LINE) throw malformed('a line is too long');
    this.line += buf.toString('latin1', at, end);
    if (newline < 0) return buf.length;
    const line = this.line.endsWith('\r') ? this.line.slice(0, -1) : this.line;
    this.line = '';
    if (this.state === 'size') this.onChunkHeader(line);
    else if (this.state === 'data-end') this.onChunkEnd(line);
    else this.onTrailerLine(line);
    return newline + 1;
  }

  private onChunkHeader(line: string): void {
    const [sizeText = '', ...extensions] = line.split(';');
    if (!/^[0-9a-fA-F]{1,13}$/.test(sizeText)) throw malformed('a chunk header has no valid size');
    const size = parseInt(sizeText, 16);
    const expected = this.opts.expectedDecodedLength;
    if (expected !== undefined && this.decoded + size > expected) {
      throw new SigV4Error('IncompleteBody', `The body decodes to more than x-amz-decoded-content-length (${expected}) bytes`);
    }
    if (this.opts.signed) {
      const signature = extensions.find((e) => e.startsWith('chunk-signature='))?.slice('chunk-signature='.length);
      if (signature === undefined || !/^[0-9a-f]{64}$/.test(signature)) throw malformed('a signed chunk has no chunk-signature');
      if (size > (this.opts.maxSignedChunkSize ?? DEFAULT_MAX_SIGNED_CHUNK)) throw malformed(`a signed chunk is larger than ${this.opts.maxSignedChunkSize ?? DEFAULT_MAX_SIGNED_CHUNK} bytes`);
      this.chunkSignature = signature;
      this.chunkHash = createHash('sha256');
    }
    this.remaining = size;
    if (size > 0) {
      this.state = 'data';
      return;
    }
    this.verifyChunk();
    this.state = 'trailer';
  }

  private onChunkEnd(line: string): void {
    if (line !== '') throw malformed('chunk data is not followed by CRLF');
    this.verifyChunk();
    this.state = 'size';
  }

  private verifyChunk(): void {
    const signing = this.opts.signed;
    if (!signing || !this.chunkHash) return;
    const toSign = chunkStringToSign(signing.amzDate, signing.scope, this.previousSignature, this.chunkHash.digest('hex'));
    const expected = signatureOf(signing.signingKey, toSign);
    if (!constantTimeEqual(expected, this.chunkSignature)) {
      throw new SigV4Error('SignatureDoesNotMatch', 'The chunk signature we calculated does not match the signature you provided.', {
        StringToSign: toSign, SignatureProvided: this.chunkSignature,
      });
    }
    this.previousSignature = expected;
    for (const piece of this.held) this.push(piece);
    this.held = [];
    this.chunkHash = null;
  }

  private onTrailerLine(latin1: string): void {
    if (latin1 === '') return this.finish();
    const line = Buffer.from(latin1, 'latin1').toString('utf8');
    if (!this.opts.trailer) throw malformed('trailer headers in a body without x-amz-trailer');
    const colon = line.indexOf(':');
    if (colon <= 0) throw malformed('a trailer line has no name');
    if (++this.trailerCount > MAX_TRAILERS) throw malformed('too many trailer headers');
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === TRAILER_SIGNATURE) {
      this.trailerSignature = value;
      return;
    }
    this.received.set(name, value);
    this.trailerText += `${name}:${value}\n`;
  }

  /** The final empty line: in the signed-trailer mode, the trailer signature must match. */
  private finish(): void {
    const signing = this.opts.signed;
    if (signing && this.opts.trailer) {
      const provided = this.trailerSignature ?? '';
      const toSign = trailerStringToSign(signing.amzDate, signing.scope, this.previousSignature, this.trailerText);
      if (!constantTimeEqual(signatureOf(signing.signingKey, toSign), provided)) {
        throw new SigV4Error('SignatureDoesNotMatch', 'The trailer signature we calculated does not match the signature you provided.', {
          StringToSign: toSign, SignatureProvided: provided,
        });
      }
    }
    this.state = 'done';
  }
}

export function createAwsChunkedDecoder(opts: AwsChunkedOptions): AwsChunkedDecoder {
  return new AwsChunkedDecoder(opts);
}
