// The aws cli's cases, shared by v1 (Python on PATH) and v2 (Debian's awscli): s3api for single
// operations, `s3 cp` for multipart, `s3 sync` both ways, `s3 presign`, checksums, and the S3
// error codes the cli prints ("An error occurred (NoSuchKey) …").
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Test } from 'tap';
import { awsEnv, awsErrorCode, type AwsCli, type Credentials } from './clients.js';
import { run, type Outcome } from './exec.js';
import { listFiles, sha256File, SYNC_FILES, type Fixtures } from './fixtures.js';
import { request } from './http.js';
import { log } from './sessions.js';
import type { Target } from './targets.js';

const KEY = 'dir/hello world+ü.txt';
const BODY = 'hello, trove\n';

export async function awsCliCases(t: Test, target: Target, cli: AwsCli, fx: Fixtures): Promise<void> {
  const bucket = `awscli-v${cli.version.slice(8, 9)}`;
  const aws = (args: string[], creds?: Credentials): Promise<Outcome> =>
    run(cli.bin, ['--endpoint-url', target.url, '--output', 'json', ...args], { env: awsEnv(target, creds), cwd: target.dir });
  const ok = async (args: string[]): Promise<Outcome> => {
    const out = await aws(args);
    if (out.code !== 0) throw new Error(`aws ${args.join(' ')} exited ${out.code}: ${out.stderr}`);
    return out;
  };
  // v2 prints nothing at all for an empty listing, v1 prints '{}'-like JSON.
  const okJson = async <T>(args: string[]): Promise<T> => JSON.parse((await ok(args)).stdout.trim() || '{}') as T;
  const small = join(target.dir, `${bucket}-small.txt`);
  await writeFile(small, BODY);
  const out = join(target.dir, `${bucket}-out`);

  await t.test('CreateBucket_mb', async (t) => {
    t.match((await ok(['s3', 'mb', `s3://${bucket}`])).stdout, `make_bucket: ${bucket}`);
    t.equal((await aws(['s3api', 'head-bucket', '--bucket', bucket])).code, 0, 'HeadBucket');
  });

  await t.test('PutObject_metadata', async (t) => {
    const put = await okJson<{ ETag: string }>(['s3api', 'put-object', '--bucket', bucket, '--key', KEY, '--body', small,
      '--content-type', 'text/plain', '--metadata', 'owner=conformance']);
    t.equal(put.ETag, `"${createHash('md5').update(BODY).digest('hex')}"`);
  });

  await t.test('HeadObject_metadata', async (t) => {
    const head = await okJson<{ ContentLength: number; ContentType: string; Metadata: Record<string, string> }>(['s3api', 'head-object', '--bucket', bucket, '--key', KEY]);
    t.equal(head.ContentLength, BODY.length);
    t.equal(head.ContentType, 'text/plain');
    t.same(head.Metadata, { owner: 'conformance' });
  });

  await t.test('GetObject_whole_and_range', async (t) => {
    const got = await okJson<{ Metadata: Record<string, string> }>(['s3api', 'get-object', '--bucket', bucket, '--key', KEY, out]);
    t.equal(await readFile(out, 'utf8'), BODY);
    t.same(got.Metadata, { owner: 'conformance' });
    const ranged = await okJson<{ ContentRange: string }>(['s3api', 'get-object', '--bucket', bucket, '--key', KEY, '--range', 'bytes=7-11', out]);
    t.equal(await readFile(out, 'utf8'), 'trove');
    t.equal(ranged.ContentRange, `bytes 7-11/${BODY.length}`);
  });

  await t.test('ListObjectsV2_prefix_delimiter', async (t) => {
    const root = await okJson<{ CommonPrefixes?: Array<{ Prefix: string }> }>(['s3api', 'list-objects-v2', '--bucket', bucket, '--delimiter', '/']);
    t.same(root.CommonPrefixes?.map((p) => p.Prefix), ['dir/']);
    const dir = await okJson<{ Contents: Array<{ Key: string; Size: number }> }>(['s3api', 'list-objects-v2', '--bucket', bucket, '--prefix', 'dir/']);
    t.same(dir.Contents.map((c) => [c.Key, c.Size]), [[KEY, BODY.length]]);
  });

  await t.test('PutObject_checksum_SHA256_and_HeadObject_ChecksumMode', async (t) => {
    const put = await okJson<{ ChecksumSHA256?: string }>(['s3api', 'put-object', '--bucket', bucket, '--key', 'sum.txt', '--body', small, '--checksum-algorithm', 'SHA256']);
    const expected = createHash('sha256').update(BODY).digest('base64');
    t.equal(put.ChecksumSHA256, expected, 'PutObject answers the verified checksum');
    const head = await okJson<{ ChecksumSHA256?: string }>(['s3api', 'head-object', '--bucket', bucket, '--key', 'sum.txt', '--checksum-mode', 'ENABLED']);
    t.equal(head.ChecksumSHA256, expected, 'HeadObject returns it with ChecksumMode ENABLED');
  });

  await t.test('Multipart_cp_100MiB_round_trip', async (t) => {
    // aws cli v1 can ask for a flexible checksum on `s3 cp`; Debian's v2.9 predates the option.
    const withChecksum = cli.version.startsWith('aws-cli/1.');
    await ok(['s3', 'cp', fx.big.path, `s3://${bucket}/big.bin`, '--only-show-errors', ...(withChecksum ? ['--checksum-algorithm', 'CRC32'] : [])]);
    const head = await okJson<{ ContentLength: number; ETag: string; ChecksumCRC32?: string }>(['s3api', 'head-object', '--bucket', bucket, '--key', 'big.bin', '--checksum-mode', 'ENABLED']);
    t.equal(head.ContentLength, fx.big.size);
    t.match(head.ETag, /^"[0-9a-f]{32}-13"$/, '8 MiB parts: a 13-part multipart ETag');
    if (withChecksum) t.match(head.ChecksumCRC32, /^[A-Za-z0-9+/]{6}==-13$/, 'the composite CRC32 of 13 parts');
    const back = join(target.dir, `${bucket}-big.back`);
    await ok(['s3', 'cp', `s3://${bucket}/big.bin`, back, '--only-show-errors']);
    t.equal(await sha256File(back), fx.big.sha256, 'the bytes round-trip (SHA-256)');
  });

  await t.test('Sync_500_files_then_nothing_to_do', async (t) => {
    const up = await ok(['s3', 'sync', fx.folder.path, `s3://${bucket}/sync`, '--no-progress']);
    t.equal(up.stdout.split('\n').filter((l) => l.startsWith('upload:')).length, SYNC_FILES, `${SYNC_FILES} uploads`);
    // --page-size 100: the cli follows five continuation tokens and merges the pages.
    const listed = await okJson<{ Contents: Array<{ Key: string }> }>(['s3api', 'list-objects-v2', '--bucket', bucket, '--prefix', 'sync/', '--page-size', '100']);
    const keys = listed.Contents.map((c) => c.Key.slice('sync/'.length));
    t.same(keys.sort(), fx.folder.files, 'every file is listed under its own name');
    const again = await ok(['s3', 'sync', fx.folder.path, `s3://${bucket}/sync`, '--no-progress']);
    t.equal(again.stdout.trim(), '', 'a second sync uploads nothing');
    const down = join(target.dir, `${bucket}-odd`);
    await ok(['s3', 'cp', `s3://${bucket}/sync/odd/`, down, '--recursive', '--only-show-errors']);
    const odd = fx.folder.files.filter((f) => f.startsWith('odd/'));
    t.same(await listFiles(down), odd.map((f) => f.slice('odd/'.length)), 'keys with spaces, +, %, ~ and unicode come back by name');
    for (const f of odd) t.equal(await readFile(join(down, f.slice('odd/'.length)), 'utf8'), await readFile(join(fx.folder.path, f), 'utf8'));
  });

  await t.test('Presign_GetObject', async (t) => {
    const url = (await ok(['s3', 'presign', `s3://${bucket}/${KEY}`, '--expires-in', '300'])).stdout.trim();
    // v1 signs presigned URLs with SigV2 by default, v2 with SigV4: both must work.
    t.match(url, cli.version.startsWith('aws-cli/1.') ? /[?&]Signature=/ : /[?&]X-Amz-Signature=/);
    const got = await request(url, target.ca ? { ca: target.ca.pem } : {});
    t.equal(got.status, 200);
    t.equal(got.body.toString(), BODY);
  });

  await t.test('Errors', async (t) => {
    // Independent commands, run at once (each cli start costs a second of CPU), checked in order.
    const commit = (await log(target, bucket))[0]!.id.slice(0, 12);
    const cases: Array<[string[], string, Credentials?]> = [
      [['s3api', 'get-object', '--bucket', bucket, '--key', 'no/such/key', join(target.dir, `${bucket}-missing`)], 'NoSuchKey'],
      [['s3api', 'head-object', '--bucket', bucket, '--key', 'no/such/key'], '404'],
      [['s3api', 'list-objects-v2', '--bucket', 'no-such-bucket'], 'NoSuchBucket'],
      [['s3api', 'delete-bucket', '--bucket', bucket], 'BucketNotEmpty'],
      [['s3api', 'get-object', '--bucket', bucket, '--key', KEY, '--range', 'bytes=1000-2000', join(target.dir, `${bucket}-range`)], 'InvalidRange'],
      [['s3api', 'put-object', '--bucket', `${bucket}.${commit}`, '--key', 'x.txt', '--body', small], 'AccessDenied'],
      [['s3api', 'list-objects-v2', '--bucket', bucket], 'SignatureDoesNotMatch', { ...target.admin, secret: `${target.admin.secret}x` }],
      [['s3api', 'list-objects-v2', '--bucket', bucket], 'InvalidAccessKeyId', { accessKeyId: 'TKNOSUCHKEY000000000', secret: target.admin.secret }],
    ];
    const outcomes = await Promise.all(cases.map(([args, , creds]) => aws(args, creds)));
    cases.forEach(([args, code], i) => {
      t.not(outcomes[i]!.code, 0, `aws ${args[0]} ${args[1]} fails`);
      t.equal(awsErrorCode(outcomes[i]!.stderr), code, `… with ${code}`);
    });
  });

  await t.test('DeleteObject_rm_recursive_and_DeleteBucket', async (t) => {
    await ok(['s3api', 'delete-object', '--bucket', bucket, '--key', KEY]);
    t.equal(awsErrorCode((await aws(['s3api', 'head-object', '--bucket', bucket, '--key', KEY])).stderr), '404', 'the key is gone');
    const rm = await ok(['s3', 'rm', `s3://${bucket}/sync/odd/`, '--recursive']);
    t.equal(rm.stdout.split('\n').filter((l) => l.startsWith('delete:')).length, fx.folder.files.filter((f) => f.startsWith('odd/')).length);
    const left = await okJson<{ Contents?: unknown[] }>(['s3api', 'list-objects-v2', '--bucket', bucket, '--prefix', 'sync/odd/']);
    t.same(left.Contents ?? [], [], 's3 rm --recursive deleted every key under the prefix');
    // Emptying the 500 synced files would be 500 commits of DeleteObject: an empty bucket shows DeleteBucket.
    await ok(['s3', 'mb', `s3://${bucket}-empty`]);
    t.match((await ok(['s3', 'rb', `s3://${bucket}-empty`])).stdout, `remove_bucket: ${bucket}-empty`);
    t.equal(awsErrorCode((await aws(['s3api', 'head-bucket', '--bucket', `${bucket}-empty`])).stderr), '404', 'HeadBucket: gone');
  });
}
