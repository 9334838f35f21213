// AWS SDK for JavaScript v3, multipart behaviours S3 has: GET/HEAD with partNumber (download
// managers that fetch by part) answer 206 with that part's bytes, Content-Range and
// x-amz-mp-parts-count; a lib-storage Upload with CRC64NVME gets the whole object's CRC64NVME
// (ChecksumType FULL_OBJECT, no "-N"), the only form S3 has for that algorithm.
import { GetObjectCommand, HeadObjectCommand, CreateBucketCommand } from '@aws-sdk/client-s3';
import { Crc64Nvme } from '@aws-sdk/checksums/crc';
import { Upload } from '@aws-sdk/lib-storage';
import t from 'tap';
import { MiB } from './lib/fixtures.js';
import { s3Client } from './lib/js-sdk.js';
import { cells, forEachTarget, scratch } from './lib/targets.js';

t.test('AWS SDK for JavaScript v3: pending multipart cases', async (t) => {
  const root = await scratch(t);
  const body = Buffer.alloc(12 * MiB + 3, 7);
  await forEachTarget(t, root, cells('A'), async (t, target) => {
    const s3 = s3Client(target);
    t.teardown(() => s3.destroy());
    await s3.send(new CreateBucketCommand({ Bucket: 'pending' }));
    await new Upload({ client: s3, params: { Bucket: 'pending', Key: 'parts.bin', Body: body } }).done();

    await t.test('GetObject_partNumber', async (t) => {
      const head = await s3.send(new HeadObjectCommand({ Bucket: 'pending', Key: 'parts.bin', PartNumber: 1 }));
      t.equal(head.ContentLength, 5 * MiB, 'HEAD ?partNumber=1: the first part only');
      t.equal(head.PartsCount, 3);
      const part = await s3.send(new GetObjectCommand({ Bucket: 'pending', Key: 'parts.bin', PartNumber: 2 }));
      t.equal(part.$metadata.httpStatusCode, 206);
      t.equal(part.ContentRange, `bytes ${5 * MiB}-${10 * MiB - 1}/${body.length}`);
      t.equal((await part.Body!.transformToByteArray()).length, 5 * MiB, 'GET ?partNumber=2: 5 MiB, not the whole object');
    });

    await t.test('Multipart_CRC64NVME_is_full_object', async (t) => {
      await new Upload({ client: s3, params: { Bucket: 'pending', Key: 'nvme.bin', Body: body, ChecksumAlgorithm: 'CRC64NVME' } }).done();
      const crc = new Crc64Nvme();
      crc.update(body);
      const head = await s3.send(new HeadObjectCommand({ Bucket: 'pending', Key: 'nvme.bin', ChecksumMode: 'ENABLED' }));
      t.equal(head.ChecksumType, 'FULL_OBJECT');
      t.equal(head.ChecksumCRC64NVME, Buffer.from(await crc.digest()).toString('base64'), "the whole object's CRC64NVME");
    });
  });
});
