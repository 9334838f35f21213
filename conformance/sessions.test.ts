// Jobs that write through a session so that the whole job lands as exactly one commit: the call
// patterns of Spark's S3A committers, classic and magic (replayed with the JS SDK,
// lib/s3a-committer.ts), and of s3fs (replayed with boto3, s3fs_pattern.py) — neither Spark nor
// s3fs is installed here — and `trove run` wrapping an unchanged `aws s3 sync`. Sessions are
// opened with `trove session open` / `commit` on PostgreSQL (the command line shares the
// server's database) and through the REST API on PGlite (whose data directory the server holds).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import t, { type Test } from 'tap';
import { troveCommand } from '../test/helpers/server.js';
import { awsEnv, cleanEnv, findAwsCli, missing } from './lib/clients.js';
import { must, run } from './lib/exec.js';
import { errorName, s3Client } from './lib/js-sdk.js';
import { runJob, runMagicJob } from './lib/s3a-committer.js';
import { commitSession, createRepository, livePaths, log, openSession } from './lib/sessions.js';
import { cells, forEachTarget, scratch, type Target } from './lib/targets.js';

const S3FS_SCRIPT = fileURLToPath(new URL('./s3fs_pattern.py', import.meta.url));
const noBoto3 = await missing('boto3', 'python3', ['-c', 'import boto3'], 'python3 -c "import boto3" fails: pip install boto3');
const aws = (await findAwsCli(1)) ?? (await findAwsCli(2));

async function s3aCommitter(t: Test, target: Target): Promise<void> {
  await createRepository(target, 'spark');
  const before = (await log(target, 'spark')).length;
  const session = await openSession(target, 'spark');
  const job = s3Client(target, session);
  const admin = s3Client(target);
  t.teardown(() => { job.destroy(); admin.destroy(); });

  const result = await runJob(job, 'spark', 'out/table', 3);
  t.equal(result.before, 'missing', 'getFileStatus of the output path: HEAD path, HEAD path/, LIST: nothing there');
  const expected = Object.keys(result.written).sort();
  t.same(result.stagedView, expected, 'the job sees its own staged writes: parts and _SUCCESS, no _temporary left');
  const outside = await admin.send(new ListObjectsV2Command({ Bucket: 'spark', Prefix: 'out/' }));
  t.equal(outside.KeyCount, 0, 'nothing is visible outside the session before it commits');
  t.equal((await log(target, 'spark')).length, before, 'and nothing is committed');

  const commitId = await commitSession(target, 'spark', session.id, 'spark job');
  const commits = await log(target, 'spark');
  t.equal(commits.length, before + 1, 'the whole job (markers, task attempts, renames, deletes, _SUCCESS) is one commit');
  t.equal(commits[0]!.id, commitId);
  t.same((await livePaths(target, 'spark', 'out/')).sort(), expected, 'exactly the job output landed');
  for (const key of expected) {
    t.equal(await (await admin.send(new GetObjectCommand({ Bucket: 'spark', Key: key }))).Body!.transformToString(), result.written[key], key);
  }
  t.equal(await errorName(job.send(new ListObjectsV2Command({ Bucket: 'spark' }))), 'InvalidAccessKeyId', 'the session credentials end with the session');
}

async function s3aMagicCommitter(t: Test, target: Target): Promise<void> {
  await createRepository(target, 'spark-magic');
  const before = (await log(target, 'spark-magic')).length;
  const session = await openSession(target, 'spark-magic');
  const job = s3Client(target, session);
  const admin = s3Client(target);
  t.teardown(() => { job.destroy(); admin.destroy(); });

  const result = await runMagicJob(job, 'spark-magic', 'out/table', 3);
  t.equal(result.before, 'missing');
  const expected = Object.keys(result.written).sort();
  t.same(result.stagedView, expected, 'completed uploads and _SUCCESS are visible in the session; no __magic left');
  t.equal(result.leftUploads, 0, "the failed attempt's upload was aborted");
  t.equal((await admin.send(new ListObjectsV2Command({ Bucket: 'spark-magic', Prefix: 'out/' }))).KeyCount, 0, 'nothing visible outside before the commit');
  await commitSession(target, 'spark-magic', session.id, 'spark job (magic committer)');
  t.equal((await log(target, 'spark-magic')).length, before + 1, 'the whole job is one commit');
  t.same((await livePaths(target, 'spark-magic', 'out/')).sort(), expected, 'exactly the job output landed; the aborted part did not');
  for (const key of expected) {
    t.equal(await (await admin.send(new GetObjectCommand({ Bucket: 'spark-magic', Key: key }))).Body!.transformToString(), result.written[key], key);
  }
}

async function s3fs(t: Test, target: Target): Promise<void> {
  await createRepository(target, 's3fs');
  const before = (await log(target, 's3fs')).length;
  const session = await openSession(target, 's3fs');
  const { stdout } = await must('python3', [S3FS_SCRIPT, target.url, session.accessKeyId, session.secret, 's3fs', target.ca?.file ?? ''], { env: cleanEnv(target.dir) });
  const r = JSON.parse(stdout.trim().split('\n').pop()!) as Record<string, unknown>;
  t.same(r.before, { type: 'missing' }, 'info() of a path that is not there');
  t.same(r.info, {
    data: { type: 'directory', marker: false },
    'data/table.csv': { type: 'file', size: r.csv_size },
    'data/empty-dir': { type: 'directory', marker: true },
    'data/nothing': { type: 'missing' },
  }, 'info(): HEAD key, HEAD key/, LIST key/ tell files from directories');
  t.equal(r.head_dir_key, '404', 'HEAD on a directory-like key without a marker: 404');
  t.same(r.ls, ['data/big.parquet', 'data/empty-dir/', 'data/table.csv']);
  t.same(r.read_big, { equal: true, statuses: [206], parts_etag: true }, 'block reads: ranged GETs with If-Match, 206 each');
  t.equal(r.read_csv_equal, true);
  t.equal(r.stale_if_match, 'PreconditionFailed', 'a ranged read with the ETag of a replaced version fails');
  t.equal(r.fresh_read, '2000,appended\n', 'a suffix range reads the new version');
  t.same(r.after_rm, { type: 'missing' }, 'rm of the only marker: the empty directory is gone');
  await commitSession(target, 's3fs', session.id, 'pandas job');
  t.equal((await log(target, 's3fs')).length, before + 1, 'the s3fs session is one commit');
  t.same((await livePaths(target, 's3fs')).sort(), ['data/big.parquet', 'data/table.csv']);
}

async function troveRun(t: Test, target: Target): Promise<void> {
  await createRepository(target, 'runs');
  const folder = join(target.dir, 'run-folder');
  await mkdir(folder);
  for (let i = 0; i < 20; i++) await writeFile(join(folder, `f${i}.txt`), `${i}\n`);
  // trove run reaches the REST API itself (NODE_EXTRA_CA_CERTS) and hands the CA on to aws.
  const env = { ...awsEnv(target), TROVE_API_KEY: target.admin.secret, ...(target.ca ? { NODE_EXTRA_CA_CERTS: target.ca.file } : {}) };
  const trove = (...args: string[]) => run(...troveCommand(['run', '--repo', 'default/runs', '--endpoint', target.url, ...args]), { env });
  const before = (await log(target, 'runs')).length;
  const ok = await trove('--message', 'sync folder', '--', aws!.bin, 's3', 'sync', folder, 's3://runs/data', '--only-show-errors');
  t.equal(ok.code, 0, ok.stderr);
  const commits = await log(target, 'runs');
  t.equal(commits.length, before + 1, '20 uploads, one commit');
  t.equal(commits[0]!.id, ok.stdout.trim().split('\n').pop(), 'trove run prints the commit id last');
  t.equal(commits[0]!.message, 'sync folder');
  const failing = await trove('--', 'sh', '-c', `"${aws!.bin}" s3 cp "${join(folder, 'f1.txt')}" s3://runs/partial.txt && exit 3`);
  t.equal(failing.code, 3, "trove run exits with the command's code");
  t.equal((await log(target, 'runs')).length, before + 1, 'nothing landed from the failed run');
  t.notOk((await livePaths(target, 'runs')).includes('partial.txt'));
}

t.test('jobs through a session land as one commit', async (t) => {
  const root = await scratch(t);
  await forEachTarget(t, root, cells('full'), async (t, target) => {
    await t.test('S3A_committer_job_one_commit (replayed with the JS SDK)', (t) => s3aCommitter(t, target));
    await t.test('S3A_magic_committer_job_one_commit (replayed with the JS SDK)', (t) => s3aMagicCommitter(t, target));
    await t.test('s3fs_reads_and_writes_one_commit (replayed with boto3)', { skip: noBoto3 }, (t) => s3fs(t, target));
    await t.test('trove_run_aws_s3_sync_one_commit', { skip: !aws && 'no aws cli is installed (v1 on PATH or Debian awscli)' }, (t) => troveRun(t, target));
  });
});
