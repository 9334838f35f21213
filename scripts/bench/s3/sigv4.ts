// The load generator's own SigV4 signer (header form, UNSIGNED-PAYLOAD only): a few hashes per
// request, so signing never becomes what the benchmark measures. The signing key is derived once
// per day. Paths and queries are sent exactly in the canonical form signed here.
import { createHash, createHmac } from 'node:crypto';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
}

export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

/** RFC 3986 percent-encoding, as SigV4 wants it; '/' kept in paths. */
export function uriEncode(value: string, keepSlash = false): string {
  const encoded = encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return keepSlash ? encoded.replace(/%2F/g, '/') : encoded;
}

/** The canonical query string, which is also what goes on the wire. */
export function canonicalQuery(query: ReadonlyArray<readonly [string, string]>): string {
  return query
    .map(([k, v]) => [uriEncode(k), uriEncode(v)] as const)
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

const hmac = (key: Buffer | string, data: string): Buffer => createHmac('sha256', key).update(data).digest();

export class Signer {
  private day = '';
  private key: Buffer = Buffer.alloc(0);

  constructor(private readonly credentials: Credentials) {}

  /** Headers to add to a request whose encoded path and canonical query are given. */
  sign(method: string, host: string, path: string, query: string): Record<string, string> {
    const amzDate = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
    const day = amzDate.slice(0, 8);
    const scope = `${day}/${this.credentials.region}/s3/aws4_request`;
    const signedHeaders = 'host;x-amz-content-sha256;x-amz-date';
    const canonical = [
      method, path, query,
      `host:${host}\nx-amz-content-sha256:${UNSIGNED_PAYLOAD}\nx-amz-date:${amzDate}\n`,
      signedHeaders, UNSIGNED_PAYLOAD,
    ].join('\n');
    const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, createHash('sha256').update(canonical).digest('hex')].join('\n');
    const signature = createHmac('sha256', this.signingKey(day)).update(stringToSign).digest('hex');
    return {
      'x-amz-date': amzDate,
      'x-amz-content-sha256': UNSIGNED_PAYLOAD,
      authorization: `AWS4-HMAC-SHA256 Credential=${this.credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
    };
  }

  private signingKey(day: string): Buffer {
    if (day !== this.day) {
      const dateKey = hmac(`AWS4${this.credentials.secretAccessKey}`, day);
      this.key = hmac(hmac(hmac(dateKey, this.credentials.region), 's3'), 'aws4_request');
      this.day = day;
    }
    return this.key;
  }
}
