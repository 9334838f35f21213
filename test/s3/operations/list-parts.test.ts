// ListParts (max-parts, part-number-marker) and ListMultipartUploads (prefix, max-uploads,
// key-marker, upload-id-marker): every page, followed by its markers, lists each entry once.
import {
  AbortMultipartUploadCommand, CreateMultipartUploadCommand, ListMultipartUploadsCommand, ListPartsCommand, UploadPartCommand,
} from '@aws-sdk/client-s3';
import t from 'tap';
import { forEachBackend } from '../../helpers/catalog.js';
import { failure, s3Env } from '../../helpers/s3.js';

forEachBackend(t, 'ListParts and ListMultipartUploads', async (t, db) => {
  const env = await s3Env(t, db);
  const { s3 } = env;
  const Bucket = await env.bucket('mpl');

  await t.test('ListParts_max_parts_part_number_marker', async (t) => {
    const Key = 'parts';
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key }));
    const numbers = [1, 2, 3, 5, 8, 13, 10_000];
    for (const PartNumber of numbers) await s3.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber, Body: `p${PartNumber}` }));
    for (const MaxParts of [1, 2, 3, 1000]) {
      const seen: number[] = [];
      let PartNumberMarker: string | undefined;
      for (let pages = 0; pages < 20; pages++) {
        const page = await s3.send(new ListPartsCommand({ Bucket, Key, UploadId, MaxParts, ...(PartNumberMarker ? { PartNumberMarker } : {}) }));
        t.equal(page.MaxParts, MaxParts);
        if ((page.Parts?.length ?? 0) > MaxParts) t.fail('a page over max-parts');
        seen.push(...(page.Parts ?? []).map((p) => p.PartNumber!));
        if (!page.IsTruncated) break;
        PartNumberMarker = page.NextPartNumberMarker;
      }
      t.same(seen, numbers, `max-parts ${MaxParts}`);
    }
    const after5 = await s3.send(new ListPartsCommand({ Bucket, Key, UploadId, PartNumberMarker: '5' }));
    t.same(after5.Parts?.map((p) => [p.PartNumber, p.Size]), [[8, 2], [13, 3], [10_000, 6]]);
    t.match(await failure(s3.send(new ListPartsCommand({ Bucket, Key, UploadId: 'bogus' }))), { name: 'NoSuchUpload', status: 404 });
  });

  await t.test('ListMultipartUploads_markers', async (t) => {
    const keys = ['a', 'a', 'b/1', 'b/2', 'c', 'c', 'c'];
    const ids: Array<[string, string]> = [];
    for (const Key of keys) ids.push([Key, (await s3.send(new CreateMultipartUploadCommand({ Bucket: `${Bucket}`, Key: `up/${Key}` }))).UploadId!]);
    const expected = ids.map(([k, id]) => [`up/${k}`, id]).sort((x, y) => (x[0]! < y[0]! ? -1 : x[0]! > y[0]! ? 1 : x[1]! < y[1]! ? -1 : 1));
    for (const MaxUploads of [1, 2, 3, 1000]) {
      const seen: string[][] = [];
      let markers: { KeyMarker?: string; UploadIdMarker?: string } = {};
      for (let pages = 0; pages < 20; pages++) {
        const page = await s3.send(new ListMultipartUploadsCommand({ Bucket, Prefix: 'up/', MaxUploads, ...markers }));
        t.equal(page.MaxUploads, MaxUploads);
        if ((page.Uploads?.length ?? 0) > MaxUploads) t.fail('a page over max-uploads');
        seen.push(...(page.Uploads ?? []).map((u) => [u.Key!, u.UploadId!]));
        if (!page.IsTruncated) break;
        markers = { KeyMarker: page.NextKeyMarker!, UploadIdMarker: page.NextUploadIdMarker! };
      }
      t.same(seen, expected, `max-uploads ${MaxUploads}`);
    }
    const afterB = await s3.send(new ListMultipartUploadsCommand({ Bucket, Prefix: 'up/', KeyMarker: 'up/b/1' }));
    t.same(afterB.Uploads?.map((u) => u.Key), ['up/b/2', 'up/c', 'up/c', 'up/c'], 'a key-marker alone skips every upload of that key');
    const onlyB = await s3.send(new ListMultipartUploadsCommand({ Bucket, Prefix: 'up/b/' }));
    t.same(onlyB.Uploads?.map((u) => u.Key), ['up/b/1', 'up/b/2']);
    t.ok(onlyB.Uploads?.every((u) => u.Initiated instanceof Date && u.Initiator?.ID));
    await s3.send(new AbortMultipartUploadCommand({ Bucket, Key: 'up/b/1', UploadId: ids[2]![1] }));
    t.same((await s3.send(new ListMultipartUploadsCommand({ Bucket, Prefix: 'up/b/' }))).Uploads?.map((u) => u.Key), ['up/b/2'], 'an aborted upload is not listed');
  });
});
