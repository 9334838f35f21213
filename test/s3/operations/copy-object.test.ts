// CopyObject: one commit naming the source's blob (no byte copied), metadata COPY or REPLACE,
// copy-source conditionals (412), source versions and past commits, destination conditions.
import { CopyObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import t from 'tap';
import { reads } from '../../../src/catalog/index.js';
import { forEachBackend } from '../../helpers/catalog.js';
import { failure, memberWith, repoOf, s3Env, snapshot, strictEncode, uniqueName, type S3Env } from '../../helpers/s3.js';

async function addressOf(env: S3Env, bucket: string, key: string): Promise<string> {
  const repo = await repoOf(env, bucket);
  return (await reads.getObject(env.services.db, { repoId: repo.id, seq: 'head' }, key))!.address;
}

forEachBackend(t, 'CopyObject', async (t, db) => {
  const env = await s3Env(t, db);
  const { s3 } = env;
  const Bucket = await env.bucket('copy');
  const SRC = 'src dir/ü+ß (1).txt';
  const CopySource = `${Bucket}/${SRC.split('/').map(strictEncode).join('/')}`;
  const source = await s3.send(new PutObjectCommand({
    Bucket, Key: SRC, Body: 'source bytes', ContentType: 'text/plain', CacheControl: 'max-age=5', Metadata: { from: 'source' },
  }));
  const sourceHead = await s3.send(new HeadObjectCommand({ Bucket, Key: SRC }));

  await t.test('CopyObject_copy_directive_shares_the_blob', async (t) => {
    const before = await snapshot(env, Bucket);
    const res = await s3.send(new CopyObjectCommand({ Bucket, Key: 'copied', CopySource }));
    t.equal(res.CopyObjectResult?.ETag, source.ETag);
    t.equal(res.CopySourceVersionId, source.VersionId);
    t.equal((await snapshot(env, Bucket)).headSeq, before.headSeq + 1, 'one commit');
    t.equal(res.VersionId, `v${before.headSeq + 1}`);
    t.equal(await addressOf(env, Bucket, 'copied'), await addressOf(env, Bucket, SRC), 'the copy names the same blob');
    t.match(await s3.send(new HeadObjectCommand({ Bucket, Key: 'copied' })), { ContentType: 'text/plain', CacheControl: 'max-age=5', Metadata: { from: 'source' } });
    t.equal(await (await s3.send(new GetObjectCommand({ Bucket, Key: 'copied' }))).Body!.transformToString(), 'source bytes');
  });

  await t.test('CopyObject_replace_directive', async (t) => {
    await s3.send(new CopyObjectCommand({ Bucket, Key: 'replaced', CopySource, MetadataDirective: 'REPLACE', ContentType: 'application/json', Metadata: { new: 'yes' } }));
    const head = await s3.send(new HeadObjectCommand({ Bucket, Key: 'replaced' }));
    t.match(head, { ContentType: 'application/json', Metadata: { new: 'yes' } });
    t.equal(head.CacheControl, undefined, 'nothing of the source metadata is kept');
    t.equal(head.Metadata?.from, undefined);
    t.match(await failure(s3.send(new CopyObjectCommand({ Bucket, Key: 'x', CopySource, MetadataDirective: 'MERGE' as 'COPY' }))), { name: 'InvalidArgument', status: 400 });
  });

  await t.test('CopyObject_onto_itself', async (t) => {
    const before = await snapshot(env, Bucket);
    t.match(await failure(s3.send(new CopyObjectCommand({ Bucket, Key: SRC, CopySource }))), { name: 'InvalidRequest', status: 400 });
    t.same(await snapshot(env, Bucket), before);
    await s3.send(new CopyObjectCommand({ Bucket, Key: SRC, CopySource, MetadataDirective: 'REPLACE', ContentType: 'text/csv' }));
    t.equal((await s3.send(new HeadObjectCommand({ Bucket, Key: SRC }))).ContentType, 'text/csv', 'REPLACE onto itself changes the metadata');
  });

  await t.test('CopyObject_source_conditionals', async (t) => {
    const hourBefore = new Date(sourceHead.LastModified!.getTime() - 3_600_000);
    const hourAfter = new Date(sourceHead.LastModified!.getTime() + 3_600_000);
    const before = await snapshot(env, Bucket);
    for (const cond of [
      { CopySourceIfMatch: '"0000"' }, { CopySourceIfNoneMatch: source.ETag }, { CopySourceIfModifiedSince: hourAfter }, { CopySourceIfUnmodifiedSince: hourBefore },
    ]) {
      t.match(await failure(s3.send(new CopyObjectCommand({ Bucket, Key: 'cond', CopySource, ...cond }))), { name: 'PreconditionFailed', status: 412 }, Object.keys(cond).join());
    }
    t.same(await snapshot(env, Bucket), before, 'nothing stored');
    for (const cond of [{ CopySourceIfMatch: source.ETag }, { CopySourceIfNoneMatch: '"0000"' }, { CopySourceIfModifiedSince: hourBefore }, { CopySourceIfUnmodifiedSince: hourAfter }]) {
      t.ok((await s3.send(new CopyObjectCommand({ Bucket, Key: 'cond', CopySource, ...cond }))).CopyObjectResult?.ETag, Object.keys(cond).join());
    }
  });

  await t.test('CopyObject_destination_if_none_match', async (t) => {
    const before = await snapshot(env, Bucket);
    t.match(await failure(s3.send(new CopyObjectCommand({ Bucket, Key: 'copied', CopySource, IfNoneMatch: '*' }))), { name: 'PreconditionFailed', status: 412 });
    t.same(await snapshot(env, Bucket), before);
  });

  await t.test('CopyObject_source_version_and_past_commit', async (t) => {
    const v1 = await s3.send(new PutObjectCommand({ Bucket, Key: 'evolving', Body: 'one' }));
    const past = (await repoOf(env, Bucket)).headCommitId;
    await s3.send(new PutObjectCommand({ Bucket, Key: 'evolving', Body: 'two' }));
    await s3.send(new CopyObjectCommand({ Bucket, Key: 'from-version', CopySource: `${Bucket}/evolving?versionId=${v1.VersionId}` }));
    t.equal(await (await s3.send(new GetObjectCommand({ Bucket, Key: 'from-version' }))).Body!.transformToString(), 'one');
    await s3.send(new CopyObjectCommand({ Bucket, Key: 'from-past', CopySource: `${Bucket}.${past.slice(0, 10)}/evolving` }));
    t.equal(await (await s3.send(new GetObjectCommand({ Bucket, Key: 'from-past' }))).Body!.transformToString(), 'one');
    t.match(await failure(s3.send(new CopyObjectCommand({ Bucket, Key: 'x', CopySource: `${Bucket}/evolving?versionId=v999999` }))), { name: 'NoSuchVersion', status: 404 });
    t.match(await failure(s3.send(new CopyObjectCommand({ Bucket: `${Bucket}.${past.slice(0, 10)}`, Key: 'x', CopySource }))), { name: 'AccessDenied', status: 403 },
      'a past commit is no destination');
  });

  await t.test('CopyObject_across_buckets', async (t) => {
    const other = await env.bucket('copy-dest');
    await s3.send(new CopyObjectCommand({ Bucket: other, Key: 'k', CopySource }));
    t.equal(await (await s3.send(new GetObjectCommand({ Bucket: other, Key: 'k' }))).Body!.transformToString(), 'source bytes');
    t.equal(await addressOf(env, other, 'k'), await addressOf(env, Bucket, 'copied'), 'no byte copied across repositories either');
  });

  await t.test('CopyObject_errors', async (t) => {
    t.match(await failure(s3.send(new CopyObjectCommand({ Bucket, Key: 'x', CopySource: `${Bucket}/no-such-key` }))), { name: 'NoSuchKey', status: 404 });
    t.match(await failure(s3.send(new CopyObjectCommand({ Bucket, Key: 'x', CopySource: `${uniqueName('none')}/k` }))), { name: 'NoSuchBucket', status: 404 });
    t.match(await failure(s3.send(new CopyObjectCommand({ Bucket, Key: 'x', CopySource: 'no-slash' }))), { name: 'InvalidArgument', status: 400 });
    const writer = env.client(await memberWith(env, uniqueName('blind'), `GetRepository()\nPutObject()\nCommitSession()\n`));
    const before = await snapshot(env, Bucket);
    t.match(await failure(writer.send(new CopyObjectCommand({ Bucket, Key: 'x', CopySource }))), { name: 'AccessDenied', status: 403 }, 'the source must be readable');
    t.same(await snapshot(env, Bucket), before);
  });
});
