// rclone (Debian's package) against each target, configured only through RCLONE_CONFIG_TROVE_*
// variables. rclone checks integrity with MD5 (Content-MD5 on upload, the ETag or its
// X-Amz-Meta-Md5chksum on multipart objects) and sends no x-amz-checksum-*: `rclone check` and
// `md5sum` are its checksum mode. It never asks for an unsatisfiable range (past the end it
// sends `bytes=N-M` with M < N, which S3 and Trove ignore), so it has no InvalidRange case.
// AWS_CA_BUNDLE must not reach it: rclone 1.60 fails on any value ("LoadCustomCABundleError");
// over HTTPS it gets our CA with --ca-cert.
import { createHash } from 'node:crypto';
import { mkdir, open, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { cleanEnv, missing, type Credentials } from './lib/clients.js';
import { run, type Outcome } from './lib/exec.js';
import { listFiles, makeFixtures, sha256File, SYNC_FILES, type Fixtures } from './lib/fixtures.js';
import { request } from './lib/http.js';
import { log } from './lib/sessions.js';
import { cells, forEachTarget, scratch, type Target } from './lib/targets.js';

const BUCKET = 'rclone';
const KEY = 'dir/hello world+ü.txt';
const BODY = 'hello, trove\n';
const absent = await missing('rclone', 'rclone', ['version'], 'apt-get install rclone');

function rcloneFor(target: Target) {
  return (args: string[], creds: Credentials = target.admin): Promise<Outcome> => run('rclone', [
    '--retries', '1', '--low-level-retries', '1', ...(target.ca ? ['--ca-cert', target.ca.file] : []), ...args,
  ], {
    env: {
      ...cleanEnv(target.dir),
      RCLONE_CONFIG: join(target.dir, 'rclone.conf'),
      RCLONE_CONFIG_TROVE_TYPE: 's3',
      RCLONE_CONFIG_TROVE_PROVIDER: 'Other',
      RCLONE_CONFIG_TROVE_ENDPOINT: target.url,
      RCLONE_CONFIG_TROVE_REGION: 'us-east-1',
      RCLONE_CONFIG_TROVE_FORCE_PATH_STYLE: 'true',
      RCLONE_CONFIG_TROVE_ACCESS_KEY_ID: creds.accessKeyId,
      RCLONE_CONFIG_TROVE_SECRET_ACCESS_KEY: creds.secret,
    },
  });
}

async function lastBytes(path: string, n: number): Promise<Buffer> {
  const file = await open(path);
  try {
    const { size } = await file.stat();
    const { buffer, bytesRead } = await file.read(Buffer.alloc(n), 0, n, size - n);
    return buffer.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}

async function cases(t: Test, target: Target, fx: Fixtures): Promise<void> {
  const rclone = rcloneFor(target);
  const ok = async (args: string[]) => {
    const out = await rclone(args);
    if (out.code !== 0) throw new Error(`rclone ${args.join(' ')} exited ${out.code}: ${out.stderr}`);
    return out;
  };
  await writeFile(join(target.dir, 'rclone.conf'), '');
  const small = join(target.dir, 'rclone-small.txt');
  await writeFile(small, BODY);
  const remote = (key: string) => `trove:${BUCKET}/${key}`;
  const buckets = async () => (JSON.parse((await ok(['lsjson', 'trove:'])).stdout) as Array<{ Name: string }>).map((b) => b.Name);

  await t.test('CreateBucket_mkdir', async (t) => {
    await ok(['mkdir', `trove:${BUCKET}`]);
    t.ok(await buckets().then((names) => names.includes(BUCKET)), 'ListBuckets shows it');
  });

  await t.test('PutObject_copyto_HeadObject_lsjson_stat', async (t) => {
    await ok(['copyto', small, remote(KEY)]);
    const stat = JSON.parse((await ok(['lsjson', '--stat', '--hash', remote(KEY)])).stdout) as { Size: number; Hashes: { md5: string }; MimeType: string };
    t.equal(stat.Size, BODY.length);
    t.equal(stat.Hashes.md5, createHash('md5').update(BODY).digest('hex'));
    t.equal(stat.MimeType, 'text/plain; charset=utf-8');
  });

  await t.test('GetObject_cat_whole_and_range', async (t) => {
    t.equal((await ok(['cat', remote(KEY)])).stdout, BODY);
    t.equal((await ok(['cat', '--offset', '7', '--count', '5', remote(KEY)])).stdout, 'trove');
  });

  await t.test('ListObjects_lsf', async (t) => {
    t.equal((await ok(['lsf', `trove:${BUCKET}`])).stdout, 'dir/\n');
    t.same((await ok(['lsf', '-R', `trove:${BUCKET}`])).stdout.split('\n').filter(Boolean).sort(), ['dir/', KEY]);
  });

  await t.test('Multipart_copyto_100MiB_md5_and_round_trip', async (t) => {
    await ok(['copyto', fx.big.path, remote('big.bin'), '--s3-upload-cutoff', '16M', '--s3-chunk-size', '16M']);
    const [entry] = JSON.parse((await ok(['lsjson', '--hash', remote('big.bin')])).stdout) as Array<{ Size: number; Hashes: { md5: string } }>;
    t.equal(entry?.Size, fx.big.size);
    t.equal(entry?.Hashes.md5, fx.big.md5, 'rclone keeps the whole-object MD5 in its metadata');
    const back = join(target.dir, 'rclone-big.back');
    await ok(['copyto', remote('big.bin'), back]);
    t.equal(await sha256File(back), fx.big.sha256, 'the bytes round-trip (SHA-256)');
  });

  await t.test('CopyObject_server_side_copyto_UploadPartCopy_and_moveto', async (t) => {
    // Past --s3-copy-cutoff rclone copies in parts: UploadPartCopy with copy-source ranges.
    await ok(['copyto', remote('big.bin'), remote('copies/big.bin'), '--s3-copy-cutoff', '16M']);
    await ok(['moveto', remote('copies/big.bin'), remote('moved/big.bin')]);
    t.same((await ok(['lsf', '-R', '--files-only', `trove:${BUCKET}`])).stdout.split('\n').filter(Boolean).sort(), ['big.bin', KEY, 'moved/big.bin'],
      'moveto is a copy and a delete');
    const [entry] = JSON.parse((await ok(['lsjson', '--hash', remote('moved/big.bin')])).stdout) as Array<{ Size: number; Hashes: { md5: string } }>;
    t.equal(entry?.Size, fx.big.size);
    t.equal(entry?.Hashes.md5, fx.big.md5);
    const tail = (await ok(['cat', '--offset', String(fx.big.size - 5), remote('moved/big.bin')])).stdoutBytes;
    t.same(tail, await lastBytes(fx.big.path, 5), 'the tail of the copy reads back');
    await ok(['deletefile', remote('moved/big.bin')]);
  });

  await t.test('ListObjectVersions_s3_versions', async (t) => {
    const second = join(target.dir, 'rclone-second.txt');
    await writeFile(second, 'second version\n');
    await ok(['copyto', second, remote(KEY)]);
    await ok(['copyto', second, remote('dir/nested/deep.txt')]);
    const versions = (await ok(['lsf', '--s3-versions', remote('dir')])).stdout.split('\n').filter(Boolean);
    t.equal(versions.length, 3, 'the live version, the one it replaced, and the subdirectory');
    t.ok(versions.includes('nested/'), 'a subdirectory is one entry: ListObjectVersions rolls it up by the delimiter');
    await ok(['deletefile', remote('dir/nested/deep.txt')]);
    t.ok(versions.includes('hello world+ü.txt'));
    t.ok(versions.some((v) => /^hello world\+ü-v\d{4}-\d\d-\d\d-\d{6}-\d{3}\.txt$/.test(v)), 'the old one under its version name');
    t.equal((await ok(['cat', remote(KEY)])).stdout, 'second version\n');
    await ok(['copyto', small, remote(KEY)]);
  });

  await t.test('Sync_500_files_then_nothing_to_do_and_check', async (t) => {
    const copied = (out: Outcome) => out.stderr.split('\n').filter((l) => /: Copied \(/.test(l)).length;
    const first = await ok(['sync', '-v', fx.folder.path, remote('sync')]);
    t.equal(copied(first), SYNC_FILES, `${SYNC_FILES} uploads`);
    t.same((await ok(['lsf', '-R', '--files-only', remote('sync')])).stdout.split('\n').filter(Boolean).sort(), fx.folder.files);
    const again = await ok(['sync', '-v', fx.folder.path, remote('sync')]);
    t.equal(copied(again), 0, 'a second sync uploads nothing');
    t.match(again.stderr, new RegExp(`Checks:\\s+${SYNC_FILES} / ${SYNC_FILES}`), `… after checking all ${SYNC_FILES}`);
    const check = await ok(['check', fx.folder.path, remote('sync')]);
    t.match(check.stderr, '0 differences found', 'rclone check: every MD5 matches');
    const down = join(target.dir, 'rclone-odd');
    await mkdir(down);
    await ok(['copy', remote('sync/odd'), down]);
    const odd = fx.folder.files.filter((f) => f.startsWith('odd/'));
    t.same(await listFiles(down), odd.map((f) => f.slice(4)), 'keys with spaces, +, %, ~ and unicode come back by name');
    for (const f of odd) t.equal(await readFile(join(down, f.slice(4)), 'utf8'), await readFile(join(fx.folder.path, f), 'utf8'));
  });

  await t.test('Presign_link', async (t) => {
    const url = (await ok(['link', '--expire', '5m', remote(KEY)])).stdout.trim();
    t.match(url, /X-Amz-Signature=/);
    const got = await request(url, target.ca ? { ca: target.ca.pem } : {});
    t.equal(got.status, 200);
    t.equal(got.body.toString(), BODY);
  });

  await t.test('Errors', async (t) => {
    // rclone turns NoSuchBucket into "directory not found" (exit 3) and a missing key into
    // "doesn't exist"; other S3 codes it prints as they come ("AccessDenied: …").
    const noBucket = await rclone(['lsf', 'trove:no-such-bucket']);
    t.equal(noBucket.code, 3, 'NoSuchBucket: exit 3');
    t.match(noBucket.stderr, 'directory not found');
    const noKey = await rclone(['deletefile', remote('no/such/key.txt')]);
    t.not(noKey.code, 0);
    t.match(noKey.stderr, "doesn't exist");
    const notEmpty = await rclone(['rmdir', `trove:${BUCKET}`]);
    t.not(notEmpty.code, 0);
    t.match(notEmpty.stderr, 'BucketNotEmpty');
    const commit = (await log(target, BUCKET))[0]!.id.slice(0, 12);
    // By default rclone creates the bucket before it uploads: CreateBucket on a past commit
    // must be refused like the upload, not answered InvalidBucketName.
    for (const flags of [[], ['--s3-no-check-bucket']]) {
      const readOnly = await rclone(['copyto', ...flags, small, `trove:${BUCKET}.${commit}/x.txt`]);
      t.not(readOnly.code, 0);
      t.match(readOnly.stderr, 'AccessDenied: ', `AccessDenied writing to a past commit (${flags.join(' ') || 'default flags'})`);
    }
    const wrong = await rclone(['lsf', `trove:${BUCKET}`], { ...target.admin, secret: `${target.admin.secret}x` });
    t.not(wrong.code, 0);
    t.match(wrong.stderr, 'SignatureDoesNotMatch');
    const unknown = await rclone(['lsf', `trove:${BUCKET}`], { accessKeyId: 'TKNOSUCHKEY000000000', secret: 'x' });
    t.not(unknown.code, 0);
    t.match(unknown.stderr, 'InvalidAccessKeyId');
  });

  await t.test('DeleteObject_deletefile_and_DeleteBucket_rmdir', async (t) => {
    await ok(['deletefile', remote(KEY)]);
    t.equal((await ok(['lsf', `trove:${BUCKET}/dir`])).stdout, '', 'the key is gone');
    await ok(['mkdir', 'trove:rclone-empty']);
    await ok(['rmdir', 'trove:rclone-empty']);
    t.notOk((await buckets()).includes('rclone-empty'), 'the empty bucket is gone');
  });
}

t.test('rclone', { skip: absent }, async (t) => {
  t.comment((await run('rclone', ['version'])).stdout.split('\n')[0]!);
  const root = await scratch(t);
  const fx = await makeFixtures(root);
  await forEachTarget(t, root, cells('B'), (t, target) => cases(t, target, fx));
});
