// The S3 gateway on a real loopback listener for operation tests: an SDK client for the admin,
// raw requests signed by the AWS SDK's own signer (@smithy/signature-v4) for what the SDK
// cannot express (wrong hashes, signed chunks, trailers, Expect, chunked transfer), and the
// two facts a failed write must leave unchanged: the listing and the commit log.
import { createHash, createHmac } from 'node:crypto';
import http from 'node:http';
import { Readable } from 'node:stream';
import { S3Client, type S3ClientConfig, type S3ServiceException } from '@aws-sdk/client-s3';
import { Hash } from '@smithy/core/serde';
import { getSigningKey, SignatureV4 } from '@smithy/signature-v4';
import type { Test } from 'tap';
import { commitChanges, organizations, policies, principals, reads, repositories, type Db } from '../../src/catalog/index.js';
import { issueKey } from '../../src/core/keys.js';
import { buildTestApp, type TestApp } from './app.js';

export interface Credentials { accessKeyId: string; secretAccessKey: string }

export interface S3Env extends TestApp {
  endpoint: string;
  host: string;
  creds: Credentials;
  s3: S3Client;
  client(creds?: Credentials, config?: Partial<S3ClientConfig>): S3Client;
  /** A new bucket with a unique name (created through the SDK). */
  bucket(prefix: string): Promise<string>;
}

let counter = 0;
/** A bucket name unique across test files sharing one catalog. */
export const uniqueName = (prefix: string): string =>
  `${prefix}-${process.pid.toString(36)}-${Date.now().toString(36)}-${(counter++).toString(36)}`;

export async function s3Env(t: Test, db: Db, opts: { s3Region?: string } = {}): Promise<S3Env> {
  const env = await buildTestApp(t, db, opts);
  const endpoint = await env.app.listen({ host: '127.0.0.1', port: 0 });
  const creds = { accessKeyId: env.admin.accessKeyId, secretAccessKey: env.admin.secret };
  const client = (c: Credentials = creds, config: Partial<S3ClientConfig> = {}) => {
    const made = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: c, maxAttempts: 1, ...config });
    t.teardown(() => made.destroy());
    return made;
  };
  const s3 = client();
  const bucket = async (prefix: string) => {
    const name = uniqueName(prefix);
    const { CreateBucketCommand } = await import('@aws-sdk/client-s3');
    await s3.send(new CreateBucketCommand({ Bucket: name }));
    return name;
  };
  return { ...env, endpoint, host: new URL(endpoint).host, creds, s3, client, bucket };
}

export interface Failure { name: string; status: number | undefined; message: string }

/** The S3 error a call failed with (name 'no error' if it succeeded). */
export function failure(p: Promise<unknown>): Promise<Failure> {
  return p.then(
    () => ({ name: 'no error', status: 0, message: '' }),
    (e: S3ServiceException) => ({ name: e.name, status: e.$metadata?.httpStatusCode, message: e.message }),
  );
}

// ---- what a failed write must leave unchanged ----

export async function repoOf(env: TestApp, bucket: string) {
  const org = await organizations.getOrganizationByName(env.services.db, 'default');
  return repositories.getRepositoryByName(env.services.db, org.id, bucket);
}

/** The bucket's head commit and every key at it: a failed write changes neither. */
export async function snapshot(env: TestApp, bucket: string): Promise<{ headSeq: number; keys: string[] }> {
  const repo = await repoOf(env, bucket);
  const keys: string[] = [];
  let after: string | null = null;
  for (;;) {
    const page = await reads.listObjects(env.services.db, { repoId: repo.id, seq: 'head' }, { limit: 1000, after });
    keys.push(...page.items.map((i) => i.path));
    if (!page.hasMore) break;
    after = page.next;
  }
  return { headSeq: repo.headSeq, keys };
}

/** Writes `keys` in one commit (all naming one blob of `body`): much faster than one PUT each. */
export async function seedKeys(env: TestApp, bucket: string, keys: string[], body = 'seed'): Promise<void> {
  const repo = await repoOf(env, bucket);
  const stored = await env.services.blobs.put(Readable.from([Buffer.from(body)]));
  const object = { address: stored.address, size: stored.size, etag: stored.md5Hex, contentType: 'text/plain', userMetadata: {}, httpHeaders: {}, checksums: {}, sourceMetadata: null };
  const changes = keys.map((path) => ({ path, object }));
  await commitChanges(env.services.db, repo.id, changes, { message: `seed ${keys.length} keys`, committer: { type: 'user', id: repo.createdBy ?? 'seed', name: 'seed' } });
}

// ---- principals other than the admin ----

/** A member of `default` holding one policy text; returns its S3 credentials. */
export async function memberWith(env: TestApp, name: string, policyText: string): Promise<Credentials> {
  const { db } = env.services;
  const org = await organizations.getOrganizationByName(db, 'default');
  const user = await principals.createUser(db, { username: name });
  await organizations.addMember(db, org.id, user.id);
  await db.query('INSERT INTO policies (id, org_id, name, policy_text) VALUES (gen_random_uuid(), $1, $2, $3)', [org.id, `p-${name}`, policyText]);
  await policies.attachPolicy(db, await policies.findPolicyIdByName(db, org.id, `p-${name}`), { type: 'user', id: user.id }, null);
  const { key, token } = await issueKey(env.services, user, { name: 'test' });
  return { accessKeyId: key.id, secretAccessKey: token };
}

// ---- raw signed requests ----

const Sha256 = Hash.bind(null, 'sha256');
export const sha256Hex = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');
const EMPTY_SHA256 = sha256Hex('');

/** How the JS SDK escapes a path segment: encodeURIComponent plus !'()*. */
export const strictEncode = (s: string): string =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
export const objectPath = (bucket: string, key: string): string => `/${bucket}/${key.split('/').map(strictEncode).join('/')}`;

export interface ChunkSeed { signature: string; signingKey: Buffer; amzDate: string; scope: string }

export interface RawRequest {
  method?: string;
  /** The path as sent (already escaped). */
  path: string;
  query?: Record<string, string>;
  /** Headers the request signs (host and x-amz-date are added). */
  headers?: Record<string, string>;
  /** Headers sent without being signed. */
  unsigned?: Record<string, string>;
  /** A Buffer; an array is sent with chunked transfer (no Content-Length); a function gets the seed signature. */
  body?: Buffer | string | Buffer[] | ((seed: ChunkSeed) => Buffer);
  /** x-amz-content-sha256; default the body's hex SHA-256. */
  payloadHash?: string;
  creds?: Credentials | null;
  region?: string;
  signingDate?: Date;
}

export interface RawResponse { status: number; headers: http.IncomingHttpHeaders; body: string; sawContinue: boolean }

const queryString = (query: Record<string, string>): string =>
  Object.entries(query).map(([n, v]) => (v === '' ? strictEncode(n) : `${strictEncode(n)}=${strictEncode(v)}`)).join('&');

export async function rawRequest(env: S3Env, req: RawRequest): Promise<RawResponse> {
  const method = req.method ?? 'GET';
  const query = req.query ?? {};
  const creds = req.creds === undefined ? env.creds : req.creds;
  const region = req.region ?? 'us-east-1';
  const signingDate = req.signingDate ?? new Date();
  const staticBody = typeof req.body === 'function' ? undefined : req.body;
  const flat = Array.isArray(staticBody) ? Buffer.concat(staticBody) : staticBody === undefined ? Buffer.alloc(0) : Buffer.from(staticBody);
  let headers: Record<string, string> = { host: env.host, ...lower(req.headers ?? {}) };
  let seed: ChunkSeed | null = null;
  if (creds) {
    headers['x-amz-content-sha256'] = req.payloadHash ?? sha256Hex(flat);
    const signer = new SignatureV4({ credentials: creds, region, service: 's3', sha256: Sha256, uriEscapePath: false, applyChecksum: false });
    const signed = await signer.sign(
      { method, protocol: 'http:', hostname: '127.0.0.1', path: req.path, query, headers },
      { signingDate, signableHeaders: new Set([...Object.keys(headers), 'x-amz-date']) },
    );
    headers = lower(signed.headers as Record<string, string>);
    const amzDate = headers['x-amz-date']!;
    const scope = `${amzDate.slice(0, 8)}/${region}/s3/aws4_request`;
    const signingKey = Buffer.from(await getSigningKey(Sha256, creds, amzDate.slice(0, 8), region, 's3'));
    seed = { signature: /Signature=([0-9a-f]+)/.exec(headers.authorization!)![1]!, signingKey, amzDate, scope };
  }
  const body = typeof req.body === 'function' ? req.body(seed!) : flat;
  const chunked = Array.isArray(req.body);
  const all = { ...headers, ...lower(req.unsigned ?? {}) };
  if (!chunked && body.length > 0 && all['content-length'] === undefined) all['content-length'] = String(body.length);
  const qs = queryString(query);
  return send(env, method, req.path + (qs ? `?${qs}` : ''), all, chunked ? (req.body as Buffer[]) : [body], chunked);
}

function send(env: S3Env, method: string, url: string, headers: Record<string, string>, pieces: Buffer[], chunked: boolean): Promise<RawResponse> {
  const target = new URL(env.endpoint);
  return new Promise((resolve, reject) => {
    let sawContinue = false;
    const expect = headers.expect === '100-continue';
    const out = http.request({ host: target.hostname, port: target.port, method, path: url, headers, agent: false }, (res) => {
      const data: Buffer[] = [];
      res.on('data', (d: Buffer) => data.push(d));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(data).toString('utf8'), sawContinue }));
      res.on('error', reject);
    });
    out.on('error', reject);
    const write = () => {
      for (const piece of pieces) if (piece.length > 0 || !chunked) out.write(piece);
      out.end();
    };
    if (chunked) out.setHeader('transfer-encoding', 'chunked');
    if (expect) {
      out.on('continue', () => {
        sawContinue = true;
        write();
      });
      out.flushHeaders();
    } else {
      write();
    }
  });
}

const lower = (h: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), String(v)]));

// ---- aws-chunked bodies ----

/** An aws-chunked body; signed when `seed` is given, with trailers when given (signed too with a seed). */
export function awsChunked(chunks: Buffer[], seed: ChunkSeed | null, trailers?: Record<string, string>): Buffer {
  const sign = (toSign: string) => createHmac('sha256', seed!.signingKey).update(toSign).digest('hex');
  let previous = seed?.signature ?? '';
  const parts: Buffer[] = [];
  for (const chunk of [...chunks, Buffer.alloc(0)]) {
    if (seed) {
      previous = sign(['AWS4-HMAC-SHA256-PAYLOAD', seed.amzDate, seed.scope, previous, EMPTY_SHA256, sha256Hex(chunk)].join('\n'));
      parts.push(Buffer.from(`${chunk.length.toString(16)};chunk-signature=${previous}\r\n`), chunk);
    } else {
      parts.push(Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk);
    }
    if (chunk.length > 0 || !trailers) parts.push(Buffer.from('\r\n'));
  }
  if (trailers) {
    const text = Object.entries(trailers).map(([n, v]) => `${n}:${v}\n`).join('');
    parts.push(Buffer.from(text.replace(/\n/g, '\r\n')));
    if (seed) {
      const signature = sign(['AWS4-HMAC-SHA256-TRAILER', seed.amzDate, seed.scope, previous, sha256Hex(text)].join('\n'));
      parts.push(Buffer.from(`x-amz-trailer-signature:${signature}\r\n`));
    }
    parts.push(Buffer.from('\r\n'));
  }
  return Buffer.concat(parts);
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const unescapeXml = (text: string): string =>
  text.replace(/&(?:#x([0-9a-fA-F]+)|#(\d+)|(\w+));/g, (whole, hex?: string, dec?: string, name?: string) =>
    hex ? String.fromCodePoint(parseInt(hex, 16)) : dec ? String.fromCodePoint(Number(dec)) : ENTITIES[name!] ?? whole);

/** The element texts of `name` in an XML document, references decoded (enough for error bodies and listings). */
export function xmlValues(xml: string, name: string): string[] {
  return [...xml.matchAll(new RegExp(`<${name}>([^<]*)</${name}>`, 'g'))].map((m) => unescapeXml(m[1]!));
}
