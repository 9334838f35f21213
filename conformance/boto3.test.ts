// boto3 (from the Python on PATH) against each target: boto3_client.py runs every case in one
// process and reports what boto3 saw; each case is asserted here. boto3 has no sync: the sync
// cases belong to the aws cli, rclone and s3cmd. Its CRC32C and CRC64NVME need awscrt, which
// is not installed; the JS SDK covers those two.
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import t, { type Test } from 'tap';
import { cleanEnv, missing } from './lib/clients.js';
import { must } from './lib/exec.js';
import { makeBigFile, type BigFile } from './lib/fixtures.js';
import { cells, forEachTarget, scratch, type Target } from './lib/targets.js';

const SCRIPT = fileURLToPath(new URL('./boto3_client.py', import.meta.url));
const BODY = 'hello, trove\n';
const absent = await missing('boto3', 'python3', ['-c', 'import boto3; print(boto3.__version__)'], 'python3 -c "import boto3" fails: pip install boto3');

type Results = Record<string, Record<string, unknown> & { exception?: string }>;

async function boto3(target: Target, big: BigFile): Promise<Results> {
  const { stdout } = await must('python3', [SCRIPT, target.url, target.admin.accessKeyId, target.admin.secret, 'boto3', target.ca?.file ?? '', big.path, target.dir],
    { env: cleanEnv(target.dir) });
  return JSON.parse(stdout.trim().split('\n').pop()!) as Results;
}

t.test('boto3', { skip: absent }, async (t) => {
  const root = await scratch(t);
  const big = await makeBigFile(root);
  await forEachTarget(t, root, cells('B'), async (t, target) => {
    const r = await boto3(target, big);
    const result = (t: Test, name: string): Record<string, unknown> => {
      const got = r[name]!;
      t.notOk(got.exception, got.exception ?? 'no exception');
      return got;
    };

    t.test('CreateBucket_ListBuckets_HeadBucket', async (t) => {
      t.match(result(t, 'buckets'), { listed: true, head: 200, versioning: 'Enabled' });
    });
    t.test('PutObject_GetObject_HeadObject_Range', async (t) => {
      t.same(result(t, 'put_get_head'), {
        etag: `"${createHash('md5').update(BODY).digest('hex')}"`, body: BODY, metadata: { owner: 'conformance' }, content_type: 'text/plain',
        length: BODY.length, range_body: 'trove', content_range: `bytes 7-11/${BODY.length}`, status_range: 206,
      });
    });
    t.test('ListObjectsV2_pages_delimiter_start_after_and_ListObjects', async (t) => {
      t.same(result(t, 'list'), {
        pages: [['list/k0', 'list/k1'], ['list/k2', 'list/k3'], ['list/k4']], v1_prefixes: ['dir/', 'list/'],
        v2_keys: ['dir/hello world+ü~(1).txt'], start_after: ['list/k3', 'list/k4'],
      });
    });
    t.test('CopyObject_replace_and_ListObjectVersions', async (t) => {
      t.same(result(t, 'copy_and_versions'), { metadata: { copied: 'yes' }, content_type: 'text/x-copied', versions: 2, old_body: BODY });
    });
    t.test('Multipart_upload_file_100MiB_round_trip', async (t) => {
      const got = result(t, 'multipart');
      t.equal(got.length, big.size);
      t.match(got.etag, /^"[0-9a-f]{32}-13"$/, '8 MiB parts: 13');
      t.equal(got.sha256, big.sha256, 'download_file returns the same bytes');
    });
    t.test('Presigned_SigV2_SigV4_GET_and_PUT', async (t) => {
      t.same(result(t, 'presigned'), {
        v2_is_sigv2: true, v2: BODY, v4_is_sigv4: true, v4: BODY, put_status: 200, put_body: 'uploaded through a presigned URL',
      });
    });
    t.test('Checksums_CRC32_SHA1_SHA256_ChecksumMode', async (t) => {
      const got = result(t, 'checksums') as { expected: Record<string, string>; put: unknown; head: unknown; get: unknown } & Record<string, unknown>;
      t.same(got.put, got.expected, 'PutObject answers each verified checksum');
      t.same(got.head, got.expected, 'HeadObject returns it with ChecksumMode ENABLED');
      t.same(got.get, got.expected, 'GetObject returns it, and botocore validated the body against it');
      t.equal(got.wrong_crc32, 'BadDigest', 'a wrong x-amz-checksum-crc32 is refused');
      t.equal(got.wrong_md5, 'BadDigest', 'a wrong Content-MD5 is refused');
      t.equal(got.wrong_not_stored, '404', 'and nothing was stored');
    });
    t.test('Errors', async (t) => {
      t.same(result(t, 'errors'), {
        NoSuchKey: 'NoSuchKey', HeadNoSuchKey: '404', NoSuchBucket: 'NoSuchBucket', BucketNotEmpty: 'BucketNotEmpty',
        InvalidRange: 'InvalidRange', PreconditionFailed: 'PreconditionFailed', NotModified: '304', PutIfNoneMatch: 'PreconditionFailed',
        NoSuchUpload: 'NoSuchUpload', InvalidBucketName: 'InvalidBucketName', AccessDenied: 'AccessDenied',
        SignatureDoesNotMatch: 'SignatureDoesNotMatch', InvalidAccessKeyId: 'InvalidAccessKeyId',
      });
    });
    t.test('TimeTravel_bucket_reads_an_older_commit', async (t) => {
      t.same(result(t, 'time_travel_read'), { old: '404', listed: true });
    });
    t.test('Conditional_reads_and_writes', async (t) => {
      t.same(result(t, 'conditionals'), {
        if_modified_since_future: '304', if_modified_since_past: null, if_unmodified_since_past: 'PreconditionFailed',
        put_if_match_wrong: 'PreconditionFailed', put_if_match_right: null, body: 'v2',
      });
    });
    t.test('UploadPartCopy_managed_copy_ListParts_ListMultipartUploads', async (t) => {
      const got = result(t, 'multipart_copy_and_listing');
      t.same(got, {
        length: big.size, etag_parts: true, sha256: big.sha256, parts: [1], uploads: ['pending.bin'], after_abort: [],
        complete_if_none_match: 'PreconditionFailed',
      });
    });
    t.test('Keys_with_control_characters_list_and_read_back', async (t) => {
      t.same(result(t, 'odd_keys'), { v2_equal: true, v1_equal: true, bodies_equal: true });
    });
    t.test('Canned_ACL_GetObjectAcl_and_response_overrides', async (t) => {
      t.same(result(t, 'acl_and_overrides'), { grants: ['FULL_CONTROL'], disposition: 'attachment; filename="x.txt"', content_type: 'text/x-override' });
    });
    t.test('Anonymous_reads_public_repository_only', async (t) => {
      t.same(result(t, 'anonymous'), { get: 'for everyone', list: ['open.txt'], private: 'AccessDenied', list_buckets: 'AccessDenied' });
    });
    t.test('DeleteObject_DeleteObjects_DeleteBucket', async (t) => {
      const got = result(t, 'delete') as { asked: number } & Record<string, unknown>;
      t.ok(got.asked > 10, 'several keys to delete');
      t.match(got, { gone: '404', deleted: got.asked, errors: [], left: 0, bucket_gone: '404' });
    });
  });
});
