// s3cmd (Debian's package) against each target, with a config file of its own (path style,
// SigV4, our CA over HTTPS). s3cmd signs every payload with its hex SHA-256 and checks MD5
// (the ETag, or the md5 it keeps in x-amz-meta-s3cmd-attrs for multipart objects); it sends no
// x-amz-checksum-* and has no ranged get, so it has no checksum-mode or InvalidRange case.
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { cleanEnv, missing, type Credentials } from './lib/clients.js';
import { run, type Outcome } from './lib/exec.js';
import { makeFixtures, sha256File, SYNC_FILES, type Fixtures } from './lib/fixtures.js';
import { request } from './lib/http.js';
import { log } from './lib/sessions.js';
import { cells, forEachTarget, scratch, type Target } from './lib/targets.js';

const BUCKET = 's3cmd';
const KEY = 'dir/hello world+ü.txt';
const BODY = 'hello, trove\n';
const absent = await missing('s3cmd', 's3cmd', ['--version'], 'apt-get install s3cmd');

/** "ERROR: S3 error: 404 (NoSuchKey): …" → NoSuchKey */
const s3cmdError = (stderr: string) => /S3 error: \d+ \(([^)]+)\)/.exec(stderr)?.[1];

async function configFile(target: Target, creds: Credentials, name: string): Promise<string> {
  const host = new URL(target.url).host;
  const path = join(target.dir, name);
  await writeFile(path, [
    '[default]', `access_key = ${creds.accessKeyId}`, `secret_key = ${creds.secret}`,
    `host_base = ${host}`, `host_bucket = ${host}`, // no %(bucket)s: path-style requests
    `use_https = ${target.ca ? 'True' : 'False'}`, ...(target.ca ? [`ca_certs_file = ${target.ca.file}`, 'check_ssl_certificate = True'] : []),
    'bucket_location = us-east-1', 'signature_v2 = False', 'progress_meter = False', '',
  ].join('\n'));
  return path;
}

async function cases(t: Test, target: Target, fx: Fixtures): Promise<void> {
  const configs = {
    admin: await configFile(target, target.admin, 's3cfg'),
    wrong: await configFile(target, { ...target.admin, secret: `${target.admin.secret}x` }, 's3cfg-wrong'),
  };
  const s3cmd = (args: string[], config = configs.admin): Promise<Outcome> => run('s3cmd', ['-c', config, ...args], { env: cleanEnv(target.dir) });
  const ok = async (args: string[]) => {
    const out = await s3cmd(args);
    if (out.code !== 0) throw new Error(`s3cmd ${args.join(' ')} exited ${out.code}: ${out.stderr}`);
    return out;
  };
  const small = join(target.dir, 's3cmd-small.txt');
  await writeFile(small, BODY);
  const url = (key: string) => `s3://${BUCKET}/${key}`;
  const infoOf = async (key: string) => (await ok(['info', url(key)])).stdout;

  await t.test('CreateBucket_mb', async (t) => {
    t.match((await ok(['mb', `s3://${BUCKET}`])).stdout, `Bucket 's3://${BUCKET}/' created`);
    t.match((await ok(['ls'])).stdout, `s3://${BUCKET}`, 'ListBuckets shows it');
  });

  await t.test('PutObject_metadata_HeadObject_info', async (t) => {
    await ok(['put', small, url(KEY), '--mime-type', 'text/plain', '--add-header', 'x-amz-meta-owner:conformance']);
    const info = await infoOf(KEY);
    t.match(info, new RegExp(`File size: +${BODY.length}\\n`));
    t.match(info, 'MIME type: text/plain');
    t.match(info, `MD5 sum:   ${createHash('md5').update(BODY).digest('hex')}`);
    t.match(info, 'x-amz-meta-owner: conformance');
  });

  await t.test('GetObject_get', async (t) => {
    t.equal((await ok(['get', url(KEY), '-'])).stdout, BODY);
  });

  await t.test('ListObjects_ls', async (t) => {
    t.match((await ok(['ls', `s3://${BUCKET}`])).stdout, /DIR +s3:\/\/s3cmd\/dir\/\n/);
    t.match((await ok(['ls', '-r', `s3://${BUCKET}`])).stdout, new RegExp(` ${BODY.length} +s3://s3cmd/dir/hello world\\+ü\\.txt\\n`));
  });

  await t.test('Multipart_put_100MiB_md5_and_round_trip', async (t) => {
    await ok(['put', fx.big.path, url('big.bin'), '--multipart-chunk-size-mb=15']);
    const info = await infoOf('big.bin');
    t.match(info, new RegExp(`File size: +${fx.big.size}\\n`));
    t.match(info, `md5:${fx.big.md5}`, 's3cmd keeps the whole-object MD5 in its attrs');
    const back = join(target.dir, 's3cmd-big.back');
    await ok(['get', url('big.bin'), back]);
    t.equal(await sha256File(back), fx.big.sha256, 'the bytes round-trip (SHA-256)');
  });

  await t.test('CopyObject_cp_mv_modify', async (t) => {
    t.match((await ok(['cp', url(KEY), url('copies/hello.txt')])).stdout, 'remote copy:');
    t.match((await ok(['mv', url('copies/hello.txt'), url('moved/hello.txt')])).stdout, 'move:');
    t.match((await ok(['modify', '--add-header', 'Cache-Control: max-age=60', url('moved/hello.txt')])).stdout, 'modify:');
    t.match(await infoOf('moved/hello.txt'), `MD5 sum:   ${createHash('md5').update(BODY).digest('hex')}`, 'a copy with metadata REPLACE keeps the bytes');
    t.equal((await ok(['get', url('moved/hello.txt'), '-'])).stdout, BODY);
    t.equal(s3cmdError((await s3cmd(['info', url('copies/hello.txt')])).stderr), 'NoSuchKey', 'mv removed the source');
    await ok(['del', url('moved/hello.txt')]);
  });

  await t.test('Bucket_info_du_and_multipart_list', async (t) => {
    t.match((await ok(['info', `s3://${BUCKET}`])).stdout, /Location: +us-east-1/);
    t.match((await ok(['du', `s3://${BUCKET}`])).stdout, new RegExp(`^ *${fx.big.size + BODY.length} +2 objects s3://${BUCKET}/`));
    t.equal((await ok(['multipart', `s3://${BUCKET}`])).stdout.trim().split('\n').length, 2, 'no upload in progress: the header only');
  });

  await t.test('Sync_500_files_then_nothing_to_do', async (t) => {
    const uploads = (out: Outcome) => out.stdout.split('\n').filter((l) => l.startsWith('upload:')).length;
    t.equal(uploads(await ok(['sync', `${fx.folder.path}/`, url('sync/')])), SYNC_FILES, `${SYNC_FILES} uploads`);
    const listed = (await ok(['ls', '-r', url('sync/')])).stdout.split('\n').filter(Boolean).map((l) => l.slice(l.indexOf(`s3://${BUCKET}/sync/`) + `s3://${BUCKET}/sync/`.length));
    t.same(listed.sort(), fx.folder.files, 'every file is listed under its own name');
    t.equal(uploads(await ok(['sync', `${fx.folder.path}/`, url('sync/')])), 0, 'a second sync uploads nothing');
    const odd = fx.folder.files.find((f) => f.includes('日本'))!;
    t.equal((await ok(['get', url(`sync/${odd}`), '-'])).stdout, await readFile(join(fx.folder.path, odd), 'utf8'));
  });

  await t.test('Presign_signurl', async (t) => {
    // s3cmd 2.3 prints http:// even with use_https; SigV2 query signatures do not cover the scheme.
    const signed = (await ok(['signurl', url(KEY), '+300'])).stdout.trim().replace(/^http:/, new URL(target.url).protocol);
    t.match(signed, /[?&]Signature=/, "s3cmd's presigned URLs are SigV2");
    const got = await request(signed, target.ca ? { ca: target.ca.pem } : {});
    t.equal(got.status, 200);
    t.equal(got.body.toString(), BODY);
  });

  await t.test('Errors', async (t) => {
    const commit = (await log(target, BUCKET))[0]!.id.slice(0, 12);
    const cases: Array<[string, string[], string?]> = [
      ['NoSuchKey', ['info', url('no/such/key')]],
      ['NoSuchBucket', ['ls', 's3://no-such-bucket']],
      ['BucketNotEmpty', ['rb', `s3://${BUCKET}`]],
      ['AccessDenied', ['put', small, `s3://${BUCKET}.${commit}/x.txt`]],
      ['SignatureDoesNotMatch', ['ls', `s3://${BUCKET}`], configs.wrong],
    ];
    for (const [code, args, config] of cases) {
      const out = await s3cmd(args, config);
      t.not(out.code, 0, `s3cmd ${args[0]} fails`);
      t.equal(s3cmdError(out.stderr), code, `… with ${code}`);
    }
  });

  await t.test('DeleteObject_del_and_DeleteBucket_rb', async (t) => {
    t.match((await ok(['del', url(KEY)])).stdout, `delete: '${url(KEY)}'`);
    t.equal(s3cmdError((await s3cmd(['info', url(KEY)])).stderr), 'NoSuchKey', 'the key is gone');
    await ok(['mb', 's3://s3cmd-empty']);
    t.match((await ok(['rb', 's3://s3cmd-empty'])).stdout, "Bucket 's3://s3cmd-empty/' removed");
  });
}

t.test('s3cmd', { skip: absent }, async (t) => {
  t.comment((await run('s3cmd', ['--version'])).stdout.trim());
  const root = await scratch(t);
  const fx = await makeFixtures(root);
  await forEachTarget(t, root, cells('A'), (t, target) => cases(t, target, fx));
});
