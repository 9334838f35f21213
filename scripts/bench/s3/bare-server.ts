// The ceiling: the least an HTTP object server on this machine can do. No auth, no catalog.
// PUT streams the body to a temporary file (MD5 on the way), fsyncs it, renames it into place and
// answers 200 with the MD5 ETag; GET streams the file back, HEAD stats it; ListObjectsV2 answers
// one page from an in-memory sorted index of the keys PUT since start; DELETE unlinks.
//   node --import tsx scripts/bench/s3/bare-server.ts <dir> <port>
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, stat, unlink } from 'node:fs/promises';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

const [dir = '', port = '0'] = process.argv.slice(2);
interface Meta { etag: string; size: number; modified: string }
const index = new Map<string, { keys: string[]; meta: Map<string, Meta> }>();

const fileOf = (bucket: string, key: string) => join(dir, bucket, encodeURIComponent(key));
const xmlEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** First position whose key is > after (keys sorted). */
function seek(keys: string[], after: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! <= after) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

async function put(req: IncomingMessage, res: ServerResponse, bucket: string, key: string): Promise<void> {
  const entry = index.get(bucket);
  if (!entry) return send(res, 404, 'NoSuchBucket');
  const md5 = createHash('md5');
  const tmp = join(dir, 'tmp', randomUUID());
  let size = 0;
  const hashing = new Transform({ transform: (chunk: Buffer, _e, done) => (md5.update(chunk), (size += chunk.length), done(null, chunk)) });
  await pipeline(req, hashing, createWriteStream(tmp, { flush: true }));
  await rename(tmp, fileOf(bucket, key));
  const etag = `"${md5.digest('hex')}"`;
  if (!entry.meta.has(key)) entry.keys.splice(seek(entry.keys, key), 0, key);
  entry.meta.set(key, { etag, size, modified: new Date().toISOString() });
  res.writeHead(200, { etag, 'content-length': 0 }).end();
}

async function get(req: IncomingMessage, res: ServerResponse, bucket: string, key: string): Promise<void> {
  const etag = index.get(bucket)?.meta.get(key)?.etag;
  if (!etag) return send(res, 404, 'NoSuchKey');
  const file = fileOf(bucket, key);
  const { size } = await stat(file);
  res.writeHead(200, { etag, 'content-length': size, 'content-type': 'application/octet-stream' });
  if (req.method === 'HEAD') return void res.end();
  // Read buffers of the file's size up to 1 MiB: a 4 KiB GET must not allocate a MiB.
  await pipeline(createReadStream(file, { highWaterMark: Math.max(1, Math.min(size, 1024 * 1024)) }), res);
}

function list(res: ServerResponse, bucket: string, query: URLSearchParams): void {
  const entry = index.get(bucket);
  if (!entry) return send(res, 404, 'NoSuchBucket');
  const max = Math.min(1000, Number(query.get('max-keys') ?? 1000));
  const from = seek(entry.keys, query.get('continuation-token') ?? query.get('start-after') ?? '');
  const page = entry.keys.slice(from, from + max);
  const truncated = from + max < entry.keys.length;
  const items = page.map((k) => {
    const m = entry.meta.get(k)!;
    return `<Contents><Key>${xmlEscape(k)}</Key><LastModified>${m.modified}</LastModified><ETag>${xmlEscape(m.etag)}</ETag><Size>${m.size}</Size><StorageClass>STANDARD</StorageClass></Contents>`;
  });
  const next = truncated ? `<NextContinuationToken>${xmlEscape(page.at(-1)!)}</NextContinuationToken>` : '';
  const body = `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>${bucket}</Name><KeyCount>${page.length}</KeyCount><MaxKeys>${max}</MaxKeys><IsTruncated>${truncated}</IsTruncated>${next}${items.join('')}</ListBucketResult>`;
  res.writeHead(200, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) }).end(body);
}

async function remove(res: ServerResponse, bucket: string, key: string): Promise<void> {
  const entry = index.get(bucket);
  if (entry?.meta.delete(key)) {
    entry.keys.splice(seek(entry.keys, key) - 1, 1);
    await unlink(fileOf(bucket, key));
  }
  res.writeHead(204).end();
}

function send(res: ServerResponse, status: number, code: string): void {
  const body = `<Error><Code>${code}</Code></Error>`;
  res.writeHead(status, { 'content-type': 'application/xml', 'content-length': body.length }).end(body);
}

async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const [, rawBucket = '', ...rest] = url.pathname.split('/');
  const bucket = decodeURIComponent(rawBucket);
  const key = decodeURIComponent(rest.join('/'));
  if (!key && req.method === 'PUT') {
    await mkdir(join(dir, bucket), { recursive: true });
    index.set(bucket, index.get(bucket) ?? { keys: [], meta: new Map() });
    return void res.writeHead(200, { 'content-length': 0 }).end();
  }
  if (!key && req.method === 'GET') return list(res, bucket, url.searchParams);
  if (req.method === 'PUT') return put(req, res, bucket, key);
  if (req.method === 'GET' || req.method === 'HEAD') return get(req, res, bucket, key);
  if (req.method === 'DELETE') return remove(res, bucket, key);
  send(res, 501, 'NotImplemented');
}

await mkdir(join(dir, 'tmp'), { recursive: true });
http
  .createServer((req, res) => {
    route(req, res).catch((err: Error) => {
      if (!res.headersSent) send(res, 500, `InternalError ${xmlEscape(err.message)}`);
      else res.destroy();
    });
  })
  .listen(Number(port), '127.0.0.1');
