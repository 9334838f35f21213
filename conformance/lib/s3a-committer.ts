// The S3 calls of a Spark job writing through Hadoop's S3A connector with the classic
// FileOutputCommitter, replayed with the AWS SDK for JavaScript v3: neither Spark nor Hadoop is
// installed here, so this is the call sequence S3A makes, not S3A itself. S3A has no rename:
// it copies every object and deletes the sources. Directories are inferred as S3A does:
// HEAD path, HEAD path/, then LIST path/ with delimiter '/' and max-keys 1.
import {
  CopyObjectCommand, DeleteObjectsCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client,
} from '@aws-sdk/client-s3';
import { errorName } from './js-sdk.js';

export type PathKind = 'file' | 'dir' | 'missing';

/** S3A's getFileStatus: a file, a directory (marker or children), or nothing. */
export async function fileStatus(s3: S3Client, bucket: string, path: string): Promise<PathKind> {
  if ((await errorName(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: path })))) === 'resolved') return 'file';
  if ((await errorName(s3.send(new HeadObjectCommand({ Bucket: bucket, Key: `${path}/` })))) === 'resolved') return 'dir';
  const list = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `${path}/`, Delimiter: '/', MaxKeys: 1 }));
  return (list.KeyCount ?? 0) > 0 ? 'dir' : 'missing';
}

/** Every key under `prefix/` (no delimiter: S3A lists recursively), following continuation tokens. */
export async function listRecursive(s3: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `${prefix}/`, ContinuationToken: token, MaxKeys: 2 }));
    keys.push(...(page.Contents ?? []).map((c) => c.Key!));
    token = page.NextContinuationToken;
  } while (token);
  return keys;
}

/** mkdirs: S3A writes an empty directory marker `path/`. */
export async function mkdirs(s3: S3Client, bucket: string, path: string): Promise<void> {
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${path}/`, Body: '', ContentType: 'application/x-directory' }));
}

/** rename(src, dst) of a directory: copy each object under it, then one bulk delete of the sources. */
export async function renameDir(s3: S3Client, bucket: string, src: string, dst: string): Promise<void> {
  const keys = await listRecursive(s3, bucket, src);
  for (const key of keys) {
    await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: `${dst}/${key.slice(src.length + 1)}`, CopySource: `${bucket}/${encodeURIComponent(key)}` }));
  }
  if (keys.length) await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true } }));
}

export interface JobResult {
  /** getFileStatus of the output path before the job. */
  before: PathKind;
  /** What the job wrote, by final key. */
  written: Record<string, string>;
  /** Keys under the output path, seen through the job's own credentials before the commit. */
  stagedView: string[];
}

/** A job of `tasks` tasks writing CSV parts into `out`, committed by rename, ending with `_SUCCESS`. */
export async function runJob(s3: S3Client, bucket: string, out: string, tasks: number): Promise<JobResult> {
  const before = await fileStatus(s3, bucket, out);
  const jobTemp = `${out}/_temporary/0`;
  await mkdirs(s3, bucket, jobTemp);
  const written: Record<string, string> = {};
  for (let task = 0; task < tasks; task++) {
    const attempt = `${jobTemp}/_temporary/attempt_202601010000_0000_m_00000${task}_0`;
    const part = `part-0000${task}-c000.csv`;
    const body = `id,task\n${task * 2},${task}\n${task * 2 + 1},${task}\n`;
    await fileStatus(s3, bucket, `${attempt}/${part}`); // create() checks the path first
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${attempt}/${part}`, Body: body, ContentType: 'text/csv' }));
    // Task commit: the attempt directory becomes the committed task directory.
    await renameDir(s3, bucket, attempt, `${jobTemp}/task_202601010000_0000_m_00000${task}`);
    written[`${out}/${part}`] = body;
  }
  // Job commit: every committed task's files move to the output path.
  const taskDirs = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: `${jobTemp}/`, Delimiter: '/' }));
  for (const { Prefix } of taskDirs.CommonPrefixes ?? []) {
    if (Prefix!.endsWith('/_temporary/')) continue;
    const dir = Prefix!.slice(0, -1);
    for (const key of await listRecursive(s3, bucket, dir)) {
      await s3.send(new CopyObjectCommand({ Bucket: bucket, Key: `${out}/${key.slice(dir.length + 1)}`, CopySource: `${bucket}/${encodeURIComponent(key)}` }));
    }
  }
  const temporary = await listRecursive(s3, bucket, `${out}/_temporary`);
  await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: temporary.map((Key) => ({ Key })), Quiet: true } }));
  const success = JSON.stringify({ name: 'org.apache.hadoop.fs.s3a.commit.files.SuccessData/1', committer: 'file', filenames: Object.keys(written) });
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${out}/_SUCCESS`, Body: success, ContentType: 'application/json' }));
  written[`${out}/_SUCCESS`] = success;
  return { before, written, stagedView: (await listRecursive(s3, bucket, out)).sort() };
}
