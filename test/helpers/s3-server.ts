// A real S3-compatible server on 127.0.0.1 for tests: `moto_server` (Python moto 5), spawned
// as a child process on a free port and killed by stop().
//
// Why moto and not s3rver (the npm devDependency): measured with @aws-sdk/client-s3 3.1169,
// s3rver 3.7.1 answers ListObjectsV2 with MaxKeys with InternalError, does not implement
// ListMultipartUploads (NotImplemented) and gives multipart objects a plain MD5 ETag. moto
// passed everything the blob store contract needs: multipart uploads with real `-N` ETags,
// ListMultipartUploads/Abort, ranged GETs, paginated listings, presigned PUT and GET.
// Caveats: moto keeps objects in memory; it reports every multipart upload as initiated in
// 2010; it accepts any credentials (so it does not prove signatures are right).
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';

export interface S3TestServer {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  createBucket(name: string): Promise<void>;
  stop(): Promise<void>;
}

const MOTO = process.env.MOTO_SERVER ?? 'moto_server';
const START_TIMEOUT_MS = 30_000;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no TCP port');
  return address.port;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

async function waitUntilServing(endpoint: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with ${child.exitCode}: ${log()}`);
    try {
      const res = await fetch(`${endpoint}/`, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`moto_server did not answer within ${START_TIMEOUT_MS} ms: ${log()}`);
}

async function spawnMoto(): Promise<{ child: ChildProcess; endpoint: string }> {
  const port = await freePort();
  const child = spawn(MOTO, ['-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  // A test process that dies without teardown must not leave the server behind.
  const killOnExit = (): void => void child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.removeListener('exit', killOnExit));
  const spawnFailed = new Promise<never>((_, reject) => child.once('error', reject));
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await Promise.race([waitUntilServing(endpoint, child, () => stderr), spawnFailed]);
  } catch (err) {
    child.kill('SIGKILL');
    await exited(child);
    throw err;
  }
  return { child, endpoint };
}

async function stopChild(child: ChildProcess): Promise<void> {
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited(child);
  clearTimeout(timer);
}

export async function startS3Server(): Promise<S3TestServer> {
  let started: { child: ChildProcess; endpoint: string } | undefined;
  // The free port may be taken between probing and binding; a second try settles that.
  for (let attempt = 1; !started; attempt++) {
    try {
      started = await spawnMoto();
    } catch (err) {
      if (attempt >= 2) throw err;
    }
  }
  const { child, endpoint } = started;
  const server: S3TestServer = {
    endpoint,
    accessKeyId: 'trove-test',
    secretAccessKey: 'trove-test-secret',
    region: 'us-east-1',
    async createBucket(name) {
      const client = new S3Client({
        endpoint,
        region: server.region,
        forcePathStyle: true,
        credentials: { accessKeyId: server.accessKeyId, secretAccessKey: server.secretAccessKey },
      });
      try {
        await client.send(new CreateBucketCommand({ Bucket: name }));
      } finally {
        client.destroy();
      }
    },
    stop: () => stopChild(child),
  };
  return server;
}
