// Test helper: requests signed by the AWS SDK's own signer (@smithy/signature-v4), configured as
// S3-CLIENT-FACTS says reproduces real clients: uriEscapePath false, applyChecksum false, and
// signableHeaders set to exactly the headers the client listed.
import { Hash } from '@smithy/core/serde';
import { getSigningKey, SignatureV4 } from '@smithy/signature-v4';
import type { SignedRequest } from '../../../src/s3/sigv4/index.js';

export const Sha256 = Hash.bind(null, 'sha256');
export const CREDENTIALS = { accessKeyId: 'TKTESTKEY00000000001', secretAccessKey: 'tuk-secret with spaces+/=%~' };
export const REGION = 'eu-west-3';
export const NOW = new Date('2026-11-22T12:00:00Z');
export const HOST = '127.0.0.1:9000';

export const signer = new SignatureV4({
  credentials: CREDENTIALS, region: REGION, service: 's3', sha256: Sha256, uriEscapePath: false, applyChecksum: false,
});

/** How the JS SDK escapes: encodeURIComponent plus !'()*. */
export const strictEncode = (s: string): string =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

export const encodeKeyPath = (bucket: string, key: string): string => `/${bucket}/${key.split('/').map(strictEncode).join('/')}`;

export type Query = Record<string, string | string[]>;

/** The query string as the SDK sends it: name=value pairs, arrays as repeated names. */
export function buildQuery(query: Query): string {
  const parts: string[] = [];
  for (const [name, value] of Object.entries(query)) {
    for (const v of Array.isArray(value) ? value : [value]) parts.push(`${strictEncode(name)}=${strictEncode(v)}`);
  }
  return parts.join('&');
}

const lower = (headers: Record<string, unknown>): Record<string, string> =>
  Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), String(v)]));

export interface SignInput {
  method?: string;
  path: string;
  query?: Query;
  /** Headers the client signs (host is added). */
  signed?: Record<string, string>;
  /** Headers sent but not signed. */
  unsigned?: Record<string, string>;
  signingDate?: Date;
}

/** A header-authenticated request, as the server would receive it. */
export async function signWithSdk(input: SignInput): Promise<SignedRequest> {
  const signedHeaders = { host: HOST, ...input.signed };
  const out = await signer.sign(
    { method: input.method ?? 'GET', protocol: 'http:', hostname: '127.0.0.1', port: 9000, path: input.path, query: input.query ?? {}, headers: signedHeaders },
    { signingDate: input.signingDate ?? NOW, signableHeaders: new Set([...Object.keys(signedHeaders), 'x-amz-date'].map((h) => h.toLowerCase())) },
  );
  const rawQuery = buildQuery(input.query ?? {});
  return { method: input.method ?? 'GET', url: input.path + (rawQuery ? `?${rawQuery}` : ''), headers: { ...lower(input.unsigned ?? {}), ...lower(out.headers) } };
}

/** A presigned URL, as the server would receive it. */
export async function presignWithSdk(input: SignInput & { expiresIn?: number }): Promise<SignedRequest> {
  // As @aws-sdk/s3-request-presigner does: the header is hoisted into the query and signed there.
  const signedHeaders = { host: HOST, 'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD', ...input.signed };
  const out = await signer.presign(
    { method: input.method ?? 'GET', protocol: 'http:', hostname: '127.0.0.1', port: 9000, path: input.path, query: input.query ?? {}, headers: signedHeaders },
    { signingDate: input.signingDate ?? NOW, expiresIn: input.expiresIn ?? 300 },
  );
  const rawQuery = buildQuery(out.query as Query);
  return { method: input.method ?? 'GET', url: `${input.path}?${rawQuery}`, headers: { ...lower(input.unsigned ?? {}), ...lower(out.headers) } };
}

export async function sdkSigningKey(date = '20261122', region = REGION): Promise<Buffer> {
  return Buffer.from(await getSigningKey(Sha256, CREDENTIALS, date, region, 's3'));
}
