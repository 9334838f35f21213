// The S3 calls of a Spark job writing through Hadoop's S3A connector, with the classic
// FileOutputCommitter and with S3A's magic committer, replayed with the AWS SDK for JavaScript v3: neither Spark nor Hadoop is
// installed here, so this is the call sequence S3A makes, not S3A itself. S3A has no rename:
// it copies every object and deletes the sources. Directories are inferred as S3A does:
// HEAD path, HEAD path/, then LIST path/ with delimiter '/' and max-keys 1.
import {
  AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CopyObjectCommand, CreateMultipartUploadCommand, DeleteObjectsCommand,
  GetObjectCommand, HeadObjectCommand, ListMultipartUploadsCommand, ListObjectsV2Command, PutObjectCommand, S3Client, UploadPartCommand,
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

/**
 * The same job with S3A's magic committer: each task starts a multipart upload straight to the
 * final key and leaves it incomplete, recording it in a `.pending` file under `__magic_job-*`;
 * task commit gathers those into a `.pendingset`; job commit completes every upload, aborts
 * what a failed task attempt left (ListMultipartUploads under the output path), deletes
 * `__magic_job-*` and writes `_SUCCESS`.
 */
export async function runMagicJob(s3: S3Client, bucket: string, out: string, tasks: number): Promise<JobResult & { leftUploads: number }> {
  const before = await fileStatus(s3, bucket, out);
  const job = 'job-0001';
  const magic = `${out}/__magic_${job}/${job}`;
  const written: Record<string, string> = {};
  const pendingSets: string[] = [];
  for (let task = 0; task <= tasks; task++) {
    const failed = task === tasks; // the last attempt dies before its task commit
    const key = `${out}/part-0000${task}-c000.csv`;
    const body = `id,task\n${task * 2},${task}\n${task * 2 + 1},${task}\n`;
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ContentType: 'text/csv' }));
    const { ETag } = await s3.send(new UploadPartCommand({ Bucket: bucket, Key: key, UploadId, PartNumber: 1, Body: body }));
    const attempt = `${magic}/tasks/attempt_${task}/__base`;
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${attempt}/part-0000${task}-c000.csv`, Body: '' }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${attempt}/part-0000${task}-c000.csv.pending`, Body: JSON.stringify({ key, UploadId, ETag }) }));
    if (failed) continue;
    // Task commit: read this attempt's .pending files into one .pendingset, drop the attempt.
    const pendings = (await listRecursive(s3, bucket, attempt)).filter((k) => k.endsWith('.pending'));
    const uploads = await Promise.all(pendings.map(async (k) => JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: k }))).Body!.transformToString()) as unknown));
    const pendingSet = `${magic}/task_${task}.pendingset`;
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: pendingSet, Body: JSON.stringify(uploads) }));
    pendingSets.push(pendingSet);
    written[key] = body;
  }
  // Job commit: complete what the committed tasks recorded, abort the rest, clean up.
  for (const set of (await listRecursive(s3, bucket, magic)).filter((k) => k.endsWith('.pendingset'))) {
    const uploads = JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: set }))).Body!.transformToString()) as Array<{ key: string; UploadId: string; ETag: string }>;
    for (const u of uploads) {
      await s3.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: u.key, UploadId: u.UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: u.ETag }] } }));
    }
  }
  const pending = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: `${out}/` }));
  for (const u of pending.Uploads ?? []) await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: u.Key, UploadId: u.UploadId }));
  const magicKeys = await listRecursive(s3, bucket, `${out}/__magic_${job}`);
  await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: magicKeys.map((Key) => ({ Key })), Quiet: true } }));
  const success = JSON.stringify({ name: 'org.apache.hadoop.fs.s3a.commit.files.SuccessData/1', committer: 'magic', filenames: Object.keys(written) });
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${out}/_SUCCESS`, Body: success, ContentType: 'application/json' }));
  written[`${out}/_SUCCESS`] = success;
  const leftUploads = (await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: `${out}/` }))).Uploads?.length ?? 0;
  return { before, written, stagedView: (await listRecursive(s3, bucket, out)).sort(), leftUploads };
}
