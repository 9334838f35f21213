// CompleteMultipartUpload: the parts named (ascending, each at least 5 MiB but the last) become
// one object in one commit, with the upload's metadata; InvalidPart, InvalidPartOrder,
// EntityTooSmall, MalformedXML, NoSuchUpload; If-None-Match / If-Match are checked (412) and a
// refused completion leaves the upload open and stores nothing.
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import {
  CompleteMultipartUploadCommand, CreateMultipartUploadCommand, GetObjectCommand, HeadObjectCommand, ListPartsCommand, PutObjectCommand,
  UploadPartCommand, type CompletedPart,
} from '@aws-sdk/client-s3';
import t from 'tap';
import { forEachBackend } from '../../helpers/catalog.js';
import { failure, objectPath, rawRequest, s3Env, snapshot, xmlValues } from '../../helpers/s3.js';

const MiB = 1024 * 1024;
const md5 = (b: Buffer) => createHash('md5').update(b).digest();

forEachBackend(t, 'CompleteMultipartUpload', async (t, db) => {
  const env = await s3Env(t, db);
  const { s3 } = env;
  const Bucket = await env.bucket('mpc');
  const big = Buffer.alloc(5 * MiB, 'x');
  const small = Buffer.from('tail');

  /** An upload with the given parts uploaded; returns what completing it needs. */
  async function upload(Key: string, bodies: Buffer[], extra: Record<string, unknown> = {}) {
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key, ...extra }));
    const parts: CompletedPart[] = [];
    for (const [i, Body] of bodies.entries()) {
      const { ETag } = await s3.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: i + 1, Body }));
      parts.push({ PartNumber: i + 1, ETag });
    }
    const complete = (Parts: CompletedPart[], more: Record<string, unknown> = {}) =>
      s3.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts }, ...more }));
    return { UploadId: UploadId!, parts, complete };
  }

  await t.test('CompleteMultipartUpload_one_commit_with_metadata', async (t) => {
    const up = await upload('mp/a', [big, small], { ContentType: 'text/x-test', Metadata: { part: 'ed' }, CacheControl: 'no-cache' });
    const before = await snapshot(env, Bucket);
    const done = await up.complete(up.parts);
    const expectedEtag = `"${createHash('md5').update(Buffer.concat([md5(big), md5(small)])).digest('hex')}-2"`;
    t.equal(done.ETag, expectedEtag, "S3's multipart ETag");
    const after = await snapshot(env, Bucket);
    t.equal(after.headSeq, before.headSeq + 1, 'one commit');
    t.equal(done.VersionId, `v${after.headSeq}`);
    t.ok(after.keys.includes('mp/a'));
    const head = await s3.send(new HeadObjectCommand({ Bucket, Key: 'mp/a' }));
    t.match(head, { ContentLength: big.length + small.length, ContentType: 'text/x-test', Metadata: { part: 'ed' }, CacheControl: 'no-cache', ETag: expectedEtag });
    const tail = await s3.send(new GetObjectCommand({ Bucket, Key: 'mp/a', Range: `bytes=${big.length - 2}-` }));
    t.equal(await tail.Body!.transformToString(), 'xxtail', 'a range across the part boundary');
    t.match(await failure(up.complete(up.parts)), { name: 'NoSuchUpload', status: 404 }, 'a completed upload is gone');
  });

  await t.test('CompleteMultipartUpload_full_object_crc', async (t) => {
    const bodies = [big, Buffer.alloc(5 * MiB, 'y'), small];
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'full', ChecksumAlgorithm: 'CRC32', ChecksumType: 'FULL_OBJECT' }));
    const Parts: CompletedPart[] = [];
    for (const [i, Body] of bodies.entries()) {
      const { ETag, ChecksumCRC32 } = await s3.send(new UploadPartCommand({ Bucket, Key: 'full', UploadId, PartNumber: i + 1, Body, ChecksumAlgorithm: 'CRC32' }));
      Parts.push({ PartNumber: i + 1, ETag, ChecksumCRC32 });
    }
    const done = await s3.send(new CompleteMultipartUploadCommand({ Bucket, Key: 'full', UploadId, MultipartUpload: { Parts } }));
    const whole = Buffer.alloc(4);
    whole.writeUInt32BE(crc32(Buffer.concat(bodies)) >>> 0);
    t.equal(done.ChecksumCRC32, whole.toString('base64'), "the whole object's CRC32, combined from the parts'");
    t.equal(done.ChecksumType, 'FULL_OBJECT');
    const head = await s3.send(new HeadObjectCommand({ Bucket, Key: 'full', ChecksumMode: 'ENABLED' }));
    t.equal(head.ChecksumCRC32, whole.toString('base64'));
    t.equal(head.ChecksumType, 'FULL_OBJECT');
  });

  await t.test('CreateMultipartUpload_checksum_type_rules', async (t) => {
    t.match(await failure(s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'x', ChecksumAlgorithm: 'SHA256', ChecksumType: 'FULL_OBJECT' }))),
      { name: 'InvalidRequest', status: 400 }, 'FULL_OBJECT is for the CRCs only');
    t.match(await failure(s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'x', ChecksumAlgorithm: 'CRC64NVME', ChecksumType: 'COMPOSITE' }))),
      { name: 'InvalidRequest', status: 400 }, 'CRC64NVME is FULL_OBJECT only');
    const nvme = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'x', ChecksumAlgorithm: 'CRC64NVME' }));
    t.equal(nvme.ChecksumType, 'FULL_OBJECT', 'and that is its default');
  });

  await t.test('CompleteMultipartUpload_subset_of_parts', async (t) => {
    const up = await upload('mp/subset', [big, big, small]);
    await up.complete([up.parts[0]!, up.parts[2]!]);
    t.equal((await s3.send(new HeadObjectCommand({ Bucket, Key: 'mp/subset' }))).ContentLength, big.length + small.length);
  });

  await t.test('CompleteMultipartUpload_refusals_leave_the_upload_open', async (t) => {
    const up = await upload('mp/bad', [small, big, small]);
    const before = await snapshot(env, Bucket);
    const [p1, p2, p3] = up.parts as [CompletedPart, CompletedPart, CompletedPart];
    t.match(await failure(up.complete([p2, p1])), { name: 'InvalidPartOrder', status: 400 });
    t.match(await failure(up.complete([p1, p1])), { name: 'InvalidPartOrder', status: 400 }, 'a part twice');
    t.match(await failure(up.complete([{ PartNumber: 1, ETag: p2.ETag }])), { name: 'InvalidPart', status: 400 }, 'a wrong ETag');
    t.match(await failure(up.complete([{ PartNumber: 4, ETag: p1.ETag }])), { name: 'InvalidPart', status: 400 }, 'a part never uploaded');
    t.match(await failure(up.complete([p1, p2])), { name: 'EntityTooSmall', status: 400 }, 'a small part that is not the last');
    t.match(await failure(up.complete([])), { name: 'MalformedXML', status: 400 });
    t.same(await snapshot(env, Bucket), before, 'nothing stored');
    t.equal((await s3.send(new ListPartsCommand({ Bucket, Key: 'mp/bad', UploadId: up.UploadId }))).Parts?.length, 3, 'the upload is still open');
    await up.complete([p2, p3]);
    t.equal((await s3.send(new HeadObjectCommand({ Bucket, Key: 'mp/bad' }))).ContentLength, big.length + small.length);
  });

  await t.test('CompleteMultipartUpload_entity_too_small_details', async (t) => {
    const up = await upload('mp/tiny', [small, small]);
    const body = `<CompleteMultipartUpload>${up.parts.map((p) => `<Part><PartNumber>${p.PartNumber}</PartNumber><ETag>${p.ETag}</ETag></Part>`).join('')}</CompleteMultipartUpload>`;
    const res = await rawRequest(env, { method: 'POST', path: objectPath(Bucket, 'mp/tiny'), query: { uploadId: up.UploadId }, body });
    t.equal(res.status, 400);
    t.same(xmlValues(res.body, 'Code'), ['EntityTooSmall']);
    t.same(xmlValues(res.body, 'MinSizeAllowed'), [String(5 * MiB)]);
    t.same(xmlValues(res.body, 'ProposedSize'), [String(small.length)]);
  });

  await t.test('CompleteMultipartUpload_if_none_match_star_existing_key', async (t) => {
    await s3.send(new PutObjectCommand({ Bucket, Key: 'mp/exists', Body: 'already' }));
    const up = await upload('mp/exists', [small]);
    const before = await snapshot(env, Bucket);
    t.match(await failure(up.complete(up.parts, { IfNoneMatch: '*' })), { name: 'PreconditionFailed', status: 412 });
    t.same(await snapshot(env, Bucket), before, 'nothing stored');
    t.equal(await (await s3.send(new GetObjectCommand({ Bucket, Key: 'mp/exists' }))).Body!.transformToString(), 'already');
    const fresh = await upload('mp/fresh', [small]);
    t.ok((await fresh.complete(fresh.parts, { IfNoneMatch: '*' })).ETag, 'a new key passes');
  });

  await t.test('CompleteMultipartUpload_if_match', async (t) => {
    const { ETag } = await s3.send(new PutObjectCommand({ Bucket, Key: 'mp/cas', Body: 'v1' }));
    const stale = await upload('mp/cas', [small]);
    const before = await snapshot(env, Bucket);
    t.match(await failure(stale.complete(stale.parts, { IfMatch: '"00000000000000000000000000000000"' })), { name: 'PreconditionFailed', status: 412 });
    t.same(await snapshot(env, Bucket), before, 'nothing stored');
    t.ok((await stale.complete(stale.parts, { IfMatch: ETag })).ETag, 'the current ETag passes');
  });

  await t.test('CompleteMultipartUpload_no_such_upload', async (t) => {
    const up = await upload('mp/one', [small]);
    t.match(await failure(s3.send(new CompleteMultipartUploadCommand({ Bucket, Key: 'mp/other', UploadId: up.UploadId, MultipartUpload: { Parts: up.parts } }))),
      { name: 'NoSuchUpload', status: 404 }, "another key's upload id");
    t.match(await failure(s3.send(new CompleteMultipartUploadCommand({ Bucket, Key: 'mp/one', UploadId: 'bogus', MultipartUpload: { Parts: up.parts } }))),
      { name: 'NoSuchUpload', status: 404 });
  });
});
