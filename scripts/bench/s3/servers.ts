// Launchers: each starts one server as a child process on a free loopback port, waits until it
// answers, and returns how to reach it and how to stop it (data directory and database removed).
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { freePort, TROVE_BIN } from '../../../test/helpers/server.js';
import type { Target } from './client.js';
import { onInterrupt, releaseDir, startChild, tempDir, type Child } from './processes.js';
import { Signer } from './sigv4.js';

export type Kind = 'trove' | 'bare' | 's3rver' | 'moto';

export interface Subject {
  name: string;
  kind: Kind;
  target: Target;
  pid: number;
  stop: () => Promise<void>;
}

const HOST = '127.0.0.1';
const REGION = 'us-east-1';

function signer(accessKeyId: string, secretAccessKey: string): Signer {
  return new Signer({ accessKeyId, secretAccessKey, region: REGION });
}

/** Polls until `url` answers with any HTTP status (`want`, if given); fails if the child exits. */
async function waitUntilUp(child: Child, url: string, what: string, want?: number, timeoutMs = 60_000): Promise<void> {
  let exited = false;
  void child.exited.then(() => (exited = true));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !exited) {
    const status = await new Promise<number>((resolve) => {
      http.get(url, (res) => (res.resume(), resolve(res.statusCode ?? 0))).on('error', () => resolve(0));
    });
    if (status && (want === undefined || status === want)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  await child.stop();
  throw new Error(`${what} did not start${exited ? ' (it exited)' : ''}: ${child.output().trim().slice(-600) || 'no output'}`);
}

async function launch(name: string, kind: Kind, command: string, args: (dir: string, port: number) => string[],
  ready: { path: string; status?: number }, credentials: Signer | null,
  env: Record<string, string> | ((dir: string) => Record<string, string>) = {},
  afterStop: () => Promise<void> = async () => {}): Promise<Subject> {
  const dir = tempDir(kind);
  const port = await freePort();
  try {
    const child = await startChild(command, args(dir, port), { env: { ...process.env, ...(typeof env === 'function' ? env(dir) : env) } });
    await waitUntilUp(child, `http://${HOST}:${port}${ready.path}`, name, ready.status);
    const stop = async () => {
      await child.stop();
      await releaseDir(dir);
      await afterStop();
    };
    return { name, kind, target: { host: HOST, port, signer: credentials }, pid: child.pid, stop };
  } catch (err) {
    await releaseDir(dir);
    await afterStop();
    throw err;
  }
}

export interface TroveOptions {
  backend: 'pglite' | 'postgres';
  postgresUrl: string;
}

export async function startTrove(options: TroveOptions): Promise<Subject> {
  const accessKeyId = 'TROVEBENCHADMIN';
  const secret = randomBytes(24).toString('base64url');
  const env: Record<string, string> = {
    TROVE_LOG_LEVEL: 'warn', TROVE_GC_INTERVAL: '0',
    TROVE_ADMIN_ACCESS_KEY_ID: accessKeyId, TROVE_ADMIN_SECRET_ACCESS_KEY: secret,
  };
  let dropDatabase = async () => {};
  if (options.backend === 'postgres') {
    const { url, drop } = await freshDatabase(options.postgresUrl);
    dropDatabase = drop;
    Object.assign(env, { TROVE_DATABASE_URL: url, TROVE_ENCRYPTION_KEY: randomBytes(32).toString('base64') });
  }
  return launch(`trove (${options.backend})`, 'trove', process.execPath,
    (dir, port) => [...troveNodeArgs(), TROVE_BIN, 'serve', '--data-dir', dir, '--host', HOST, '--port', String(port)],
    { path: '/api/v1/healthcheck', status: 200 }, signer(accessKeyId, secret), env, dropDatabase);
}

/** Node.js flags for Trove's process, e.g. BENCH_TROVE_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof". */
function troveNodeArgs(): string[] {
  return (process.env.BENCH_TROVE_NODE_ARGS ?? '').split(' ').filter(Boolean);
}

/** A database of its own on the PostgreSQL server of `baseUrl`, dropped by `drop`. */
async function freshDatabase(baseUrl: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `trove_bench_${randomBytes(4).toString('hex')}`;
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: baseUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE ${name}`);
  const drop = () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  const forget = onInterrupt(drop);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return { url: url.href, drop: () => (forget(), drop()) };
}

export function startBare(): Promise<Subject> {
  const script = fileURLToPath(new URL('./bare-server.ts', import.meta.url));
  return launch('bare node:http', 'bare', process.execPath, (dir, port) => ['--import', 'tsx', script, dir, String(port)],
    { path: '/' }, null);
}

export function startS3rver(): Promise<Subject> {
  const bin = createRequire(import.meta.url).resolve('s3rver/bin/s3rver.js');
  // s3rver's ListObjectsV2 continuation tokens are DES-encrypted, which OpenSSL 3 only has in
  // its legacy provider: without it every truncated listing is a 500.
  return launch('s3rver', 's3rver', process.execPath,
    (dir, port) => ['--openssl-legacy-provider', bin, '--directory', dir, '--address', HOST, '--port', String(port), '--silent', '--no-vhost-buckets'],
    { path: '/' }, signer('S3RVER', 'S3RVER'));
}

export function startMoto(): Promise<Subject> {
  return launch('moto_server', 'moto', 'moto_server', (_dir, port) => ['-H', HOST, '-p', String(port)],
    // moto accepts any signature (anonymous reads of a private bucket are 403); it keeps objects
    // in memory and spills large ones to TMPDIR: keep those in its directory.
    { path: '/' }, signer('testing', 'testing'), (dir) => ({ TMPDIR: dir }));
}
