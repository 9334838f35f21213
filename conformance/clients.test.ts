// Real S3 clients against a real `trove serve`: aws cli and boto3 (from the Python on PATH).
// A client that is not installed is skipped, and the skip says so.
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import t from 'tap';
import { startServer } from '../test/helpers/server.js';

const run = promisify(execFile);
const ADMIN = { accessKeyId: 'TKCONFORMANCE0000001', secret: 'tuk-conformance-secret-0123456789abcdefghijklmn' };

async function installed(cmd: string, args: string[]): Promise<boolean> {
  return run(cmd, args).then(() => true, () => false);
}

t.test('S3 clients', async (t) => {
  const dataDir = t.testdir();
  const server = await startServer({ TROVE_DATA_DIR: dataDir, TROVE_ADMIN_ACCESS_KEY_ID: ADMIN.accessKeyId, TROVE_ADMIN_SECRET_ACCESS_KEY: ADMIN.secret });
  t.teardown(() => server.child.kill('SIGKILL'));
  const env = {
    ...process.env, AWS_ACCESS_KEY_ID: ADMIN.accessKeyId, AWS_SECRET_ACCESS_KEY: ADMIN.secret, AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONFIG_FILE: join(dataDir, 'none'), AWS_SHARED_CREDENTIALS_FILE: join(dataDir, 'none'),
  };

  t.test('boto3', { skip: !(await installed('python3', ['-c', 'import boto3'])) && 'boto3 is not importable by python3' }, async (t) => {
    const { stdout } = await run('python3', [new URL('./boto3_client.py', import.meta.url).pathname, server.url, ADMIN.accessKeyId, ADMIN.secret, 'boto'], { env });
    const r = JSON.parse(stdout.trim().split('\n').pop()!);
    t.equal(r.get, 'hello');
    t.same(r.metadata, { k: 'v' });
    t.match(r.sha256, /^[A-Za-z0-9+/]{43}=$/, 'a SHA256 checksum is stored and returned');
    t.same(r.list, ['dir/hello world.txt', 'dir/sum.bin']);
    t.same(r.list_v1, ['dir/']);
    t.equal(r.presigned_v2_is_v2, true, "boto3's default presigned URL is SigV2");
    t.equal(r.presigned_v2, 'hello');
    t.equal(r.presigned_v4, 'hello');
    t.equal(r.missing, 'NoSuchKey');
    t.equal(r.bad_md5, 'BadDigest', 'a wrong Content-MD5 is refused');
    t.same(r.after_delete, ['dir/hello world.txt']);
  });

  t.test('aws cli', { skip: !(await installed('aws', ['--version'])) && 'the aws command is not installed' }, async (t) => {
    const aws = (...args: string[]) => run('aws', ['--endpoint-url', server.url, ...args], { env, maxBuffer: 16 * 1024 * 1024 });
    await aws('s3', 'mb', 's3://cli');
    const folder = join(dataDir, 'folder');
    await mkdir(join(folder, 'nested'), { recursive: true });
    for (let i = 0; i < 50; i++) await writeFile(join(folder, i % 2 ? 'nested' : '', `f${i}.txt`), `file ${i}\n`);
    const big = Buffer.alloc(10 * 1024 * 1024 + 123, 'z');
    await writeFile(join(dataDir, 'big.bin'), big);
    await aws('s3', 'cp', join(dataDir, 'big.bin'), 's3://cli/big.bin');
    await aws('s3', 'cp', 's3://cli/big.bin', join(dataDir, 'big.back'));
    t.ok((await readFile(join(dataDir, 'big.back'))).equals(big), 'a 10 MiB multipart cp round-trips');
    await aws('s3', 'sync', folder, 's3://cli/synced');
    const { stdout } = await aws('s3', 'ls', '--recursive', 's3://cli/synced/');
    t.equal(stdout.trim().split('\n').length, 50, 'sync uploaded 50 files');
    const again = await aws('s3', 'sync', folder, 's3://cli/synced');
    t.equal(again.stdout.trim(), '', 'a second sync finds nothing to do');
    await aws('s3', 'rm', '--recursive', 's3://cli/synced/nested');
    const left = await aws('s3', 'ls', '--recursive', 's3://cli/synced/');
    t.equal(left.stdout.trim().split('\n').length, 25);
    const log = await fetch(`${server.url}/api/v1/organizations/default/repositories/cli/log?amount=1000`, { headers: { authorization: `Bearer ${ADMIN.secret}` } });
    t.ok(((await log.json()) as { results: unknown[] }).results.length > 50, 'every write through plain credentials is a commit');
  });
});
