// AbortMultipartUpload: the upload is gone (NoSuchUpload after) and its part blobs become
// garbage the collector deletes, while the parts of open and completed uploads are kept.
import {
  AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CreateMultipartUploadCommand, GetObjectCommand, UploadPartCommand,
} from '@aws-sdk/client-s3';
import t from 'tap';
import { uploads } from '../../../src/catalog/index.js';
import { collectBlobGarbage } from '../../../src/core/gc.js';
import { forEachBackend } from '../../helpers/catalog.js';
import { failure, s3Env, snapshot, type S3Env } from '../../helpers/s3.js';

async function partAddresses(env: S3Env, uploadId: string): Promise<string[]> {
  return (await uploads.listParts(env.services.db, uploadId, { limit: 1000 })).parts.map((p) => p.address);
}

forEachBackend(t, 'AbortMultipartUpload', async (t, db) => {
  const env = await s3Env(t, db);
  const { s3 } = env;
  const Bucket = await env.bucket('mpa');
  const start = async (Key: string) => {
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key }));
    const parts = [];
    for (const PartNumber of [1, 2]) parts.push({ PartNumber, ETag: (await s3.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber, Body: `${Key} part ${PartNumber}` }))).ETag });
    return { UploadId: UploadId!, parts, addresses: await partAddresses(env, UploadId!) };
  };

  await t.test('AbortMultipartUpload_frees_the_parts', async (t) => {
    const aborted = await start('aborted');
    const open = await start('open');
    const done = await start('done');
    await s3.send(new CompleteMultipartUploadCommand({ Bucket, Key: 'done', UploadId: done.UploadId, MultipartUpload: { Parts: [done.parts[1]!] } }));
    const before = await snapshot(env, Bucket);
    const res = await s3.send(new AbortMultipartUploadCommand({ Bucket, Key: 'aborted', UploadId: aborted.UploadId }));
    t.equal(res.$metadata.httpStatusCode, 204);
    t.same(await snapshot(env, Bucket), before, 'aborting commits nothing');
    t.match(await failure(s3.send(new UploadPartCommand({ Bucket, Key: 'aborted', UploadId: aborted.UploadId, PartNumber: 3, Body: 'x' }))), { name: 'NoSuchUpload', status: 404 });
    t.match(await failure(s3.send(new AbortMultipartUploadCommand({ Bucket, Key: 'aborted', UploadId: aborted.UploadId }))), { name: 'NoSuchUpload', status: 404 });

    await collectBlobGarbage(env.services, 0);
    for (const address of aborted.addresses) t.equal(await env.services.blobs.stat(address), null, `aborted part ${address} collected`);
    for (const address of open.addresses) t.ok(await env.services.blobs.stat(address), 'an open upload keeps its parts');
    t.ok(await env.services.blobs.stat(done.addresses[1]!), 'a completed object keeps the part it is made of');
    t.equal(await env.services.blobs.stat(done.addresses[0]!), null, 'the part left out of the completion is collected');
    t.equal(await (await s3.send(new GetObjectCommand({ Bucket, Key: 'done' }))).Body!.transformToString(), 'done part 2');
  });

  await t.test('AbortMultipartUpload_errors', async (t) => {
    const { UploadId } = await start('other');
    t.match(await failure(s3.send(new AbortMultipartUploadCommand({ Bucket, Key: 'not-other', UploadId }))), { name: 'NoSuchUpload', status: 404 });
    t.match(await failure(s3.send(new AbortMultipartUploadCommand({ Bucket, Key: 'other', UploadId: 'bogus' }))), { name: 'NoSuchUpload', status: 404 });
  });
});
