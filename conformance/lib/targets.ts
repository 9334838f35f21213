// The servers a conformance file drives: the built `trove serve` on each catalog backend
// (embedded PGlite always; PostgreSQL in a fresh database of its own) and each scheme (HTTP, and
// HTTPS with a certificate authority the suite makes with openssl). Every target is a server of
// its own on a fresh temporary data directory, stopped and removed when its cases end.
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Test } from 'tap';
import { startServer, troveCommand, type RunningServer } from '../../test/helpers/server.js';
import { must } from './exec.js';
import { request, type Answer } from './http.js';

export type Backend = 'pglite' | 'postgres';
export type Scheme = 'http' | 'https';

export interface Target {
  /** "pglite http", "postgres https", ... */
  name: string;
  backend: Backend;
  scheme: Scheme;
  /** The S3 endpoint and the REST base: one port serves both. */
  url: string;
  /** The CA that signed the server's certificate (HTTPS only): a PEM file and its text. */
  ca: { file: string; pem: string } | undefined;
  admin: { accessKeyId: string; secret: string };
  /** Scratch space of this target's cases. */
  dir: string;
  /** Runs the `trove` command line on this target's catalog (PostgreSQL only: PGlite's is locked by the server). */
  trove(args: string[]): Promise<string>;
  /** A REST call as the admin; `path` is under /api/v1. */
  rest(method: string, path: string, body?: unknown): Promise<Answer>;
}

const ADMIN = { accessKeyId: 'TKCONFORMANCE0000001', secret: 'tuk-conformance-secret-0123456789abcdefghijklmn' };
const POSTGRES_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Why PostgreSQL targets cannot run here, or undefined when they can. */
const postgresMissing: Promise<string | undefined> = (async () => {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    await dropStaleDatabases();
    return undefined;
  } catch (err) {
    return `PostgreSQL is not reachable at ${POSTGRES_URL} (${(err as Error).message}); set TEST_DATABASE_URL`;
  } finally {
    await client.end().catch(() => {});
  }
})();

/** One self-signed CA certificate for 127.0.0.1 per scratch directory. */
const tlsFiles = new Map<string, Promise<{ cert: string; key: string; pem: string }>>();
function tls(root: string): Promise<{ cert: string; key: string; pem: string }> {
  let files = tlsFiles.get(root);
  if (!files) {
    files = (async () => {
      const cert = join(root, 'cert.pem');
      const key = join(root, 'key.pem');
      await must('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1',
        '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost', '-keyout', key, '-out', cert]);
      return { cert, key, pem: await readFile(cert, 'utf8') };
    })();
    tlsFiles.set(root, files);
  }
  return files;
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

interface Started {
  target: Target;
  stop(): Promise<void>;
}

// Servers and scratch directories of this process, killed and removed if the process ends
// before their teardown ran (tap's timeout, ^C): a conformance run leaves nothing behind.
const live = new Set<RunningServer>();
const roots = new Set<string>();
const killLive = () => {
  live.forEach((server) => server.child.kill('SIGKILL'));
  roots.forEach((root) => rmSync(root, { recursive: true, force: true }));
};
process.once('exit', killLive);
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    killLive();
    process.kill(process.pid, signal);
  });
}

async function stopServer(server: RunningServer): Promise<void> {
  server.child.kill('SIGTERM');
  const timer = setTimeout(() => server.child.kill('SIGKILL'), 5000);
  await server.exited;
  clearTimeout(timer);
  live.delete(server);
}

// Databases are named trove_conf_<unix seconds>_<random>; one left by a run that was killed
// before its teardown is dropped by a later run once it is a day old.
const DATABASE = /^trove_conf_(\d+)_[0-9a-f]+$/;
async function dropStaleDatabases(): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'trove_conf_%'");
    const dayAgo = Date.now() / 1000 - 86_400;
    for (const { datname } of rows) {
      const made = DATABASE.exec(datname)?.[1];
      // Another run may be dropping it at the same moment: that is fine.
      if (made && Number(made) < dayAgo) await client.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`).catch(() => {});
    }
  } finally {
    await client.end();
  }
}

async function startTarget(root: string, backend: Backend, scheme: Scheme): Promise<Started> {
  const dir = await mkdtemp(join(root, `${backend}-${scheme}-`));
  const env: Record<string, string> = {
    TROVE_DATA_DIR: join(dir, 'data'),
    TROVE_ADMIN_ACCESS_KEY_ID: ADMIN.accessKeyId,
    TROVE_ADMIN_SECRET_ACCESS_KEY: ADMIN.secret,
  };
  let database: string | undefined;
  if (backend === 'postgres') {
    database = `trove_conf_${Math.floor(Date.now() / 1000)}_${randomBytes(4).toString('hex')}`;
    await adminQuery(`CREATE DATABASE ${database}`);
    const url = new URL(POSTGRES_URL);
    url.pathname = `/${database}`;
    env.TROVE_DATABASE_URL = url.toString();
    env.TROVE_ENCRYPTION_KEY = randomBytes(32).toString('base64');
  }
  const cert = scheme === 'https' ? await tls(root) : undefined;
  if (cert) Object.assign(env, { TROVE_TLS_CERT: cert.cert, TROVE_TLS_KEY: cert.key });
  // Nothing of the caller's own Trove settings (a TROVE_DATABASE_URL, say): empty is unset.
  // startServer sets the port and the log level itself.
  for (const name of Object.keys(process.env)) {
    if (name.startsWith('TROVE_') && !(name in env) && name !== 'TROVE_PORT' && name !== 'TROVE_LOG_LEVEL') env[name] = '';
  }
  let server: RunningServer;
  try {
    server = await startServer(env, 90_000, scheme);
    live.add(server);
  } catch (err) {
    if (database) await adminQuery(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    throw err;
  }
  const ca = cert ? { file: cert.cert, pem: cert.pem } : undefined;
  const target: Target = {
    name: `${backend} ${scheme}`, backend, scheme, url: server.url, ca, admin: ADMIN, dir,
    async trove(args) {
      if (backend !== 'postgres') throw new Error('the trove command line cannot open a PGlite catalog that a server holds');
      return (await must(...troveCommand(args), { env: { ...process.env, ...env, TROVE_LOG_LEVEL: 'warn' } })).stdout;
    },
    rest: (method, path, body) => request(`${server.url}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN.secret}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      ...(ca ? { ca: ca.pem } : {}),
    }),
  };
  return {
    target,
    async stop() {
      await stopServer(server);
      if (database) await adminQuery(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface Cell {
  backend: Backend;
  scheme: Scheme;
}

// PostgreSQL first: its server is up in a second, and PGlite's (a few seconds of initdb)
// starts meanwhile.
const FULL: Cell[] = (['postgres', 'pglite'] as const).flatMap((backend) => (['http', 'https'] as const).map((scheme) => ({ backend, scheme })));

/**
 * Which backend × scheme cells a client runs on. By default each client runs on one diagonal
 * of the 2 × 2 matrix: both backends and both schemes, in one of the two pairings, so every
 * client meets each backend and each scheme, the clients together fill every cell, and the
 * run stays within its time budget. 'full' (or CONFORMANCE_MATRIX=full for every client)
 * runs on all four.
 */
export function cells(diagonal: 'A' | 'B' | 'full'): Cell[] {
  if (diagonal === 'full' || process.env.CONFORMANCE_MATRIX === 'full') return FULL;
  return diagonal === 'A'
    ? [{ backend: 'postgres', scheme: 'https' }, { backend: 'pglite', scheme: 'http' }]
    : [{ backend: 'postgres', scheme: 'http' }, { backend: 'pglite', scheme: 'https' }];
}

/** A scratch directory for the whole file (fixtures, certificate), removed at the end. */
export async function scratch(t: Test): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'trove-conformance-'));
  roots.add(root);
  t.teardown(async () => {
    await rm(root, { recursive: true, force: true });
    roots.delete(root);
  });
  return root;
}

/**
 * Declares `fn` as a subtest `[backend scheme]` for each cell. The cells run at the same time,
 * each on a server of its own that stops when its subtest ends (a client's cases mostly wait
 * on the client starting up and on fsync, so two cells take little longer than one).
 * PostgreSQL cells are skipped, saying why, only when PostgreSQL is unreachable.
 */
export async function forEachTarget(t: Test, root: string, runs: Cell[], fn: (t: Test, target: Target) => Promise<void>): Promise<void> {
  const missing = await postgresMissing;
  const started = new Map<string, Promise<Started>>();
  for (const { backend, scheme } of runs) {
    if (backend === 'postgres' && missing) continue;
    const s = startTarget(root, backend, scheme);
    s.catch(() => {}); // surfaces in the subtest that awaits it
    started.set(`${backend} ${scheme}`, s);
  }
  t.jobs = runs.length; // subtests declared from here on are buffered and run in parallel
  for (const { backend, scheme } of runs) {
    const name = `${backend} ${scheme}`;
    const s = started.get(name);
    t.test(`[${name}]`, { skip: !s && missing }, async (t) => {
      const { target, stop } = await s!;
      t.teardown(stop);
      await fn(t, target);
    });
  }
}
