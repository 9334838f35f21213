import { Crc64Nvme } from '@aws-sdk/checksums/crc';
import { createHash } from 'node:crypto';
import t from 'tap';
import { patternBytes, referenceDigests } from '../../src/blobstore/blob-store.contract-data.js';
import {
  CHECKSUM_ALGORITHMS,
  checksumOf,
  compositeChecksum,
  createHasher,
  isChecksumAlgorithm,
  multipartEtag,
  type ChecksumAlgorithm,
} from '../../src/blobstore/checksums.js';
import { InvalidError } from '../../src/errors.js';

const hexToB64 = (hex: string): string => Buffer.from(hex, 'hex').toString('base64');

t.test('catalogue check values of "123456789"', async (t) => {
  const check = Buffer.from('123456789');
  const want: Record<ChecksumAlgorithm, string> = {
    CRC32: hexToB64('cbf43926'),
    CRC32C: hexToB64('e3069283'),
    CRC64NVME: hexToB64('ae8b14860a799888'),
    SHA1: hexToB64('f7c3bc1d808e04732adf679965ccc34ca7ae3441'),
    SHA256: hexToB64('15e2b0d3c33891ebb0f1ef609ec419420c20e320ce94c65fbc8c3312448eb225'),
  };
  for (const a of CHECKSUM_ALGORITHMS) t.equal(await checksumOf(a, check), want[a], a);
  t.equal(await checksumOf('CRC32', Buffer.alloc(0)), 'AAAAAA==', 'empty CRC32 as S3 shows it');
});

t.test('CRC64NVME agrees with the AWS SDK implementation', async (t) => {
  for (const size of [0, 1, 7, 8, 9, 255, 4096, 100_003]) {
    const data = patternBytes(size, size + 17);
    const sdk = new Crc64Nvme();
    sdk.update(data);
    t.equal(await checksumOf('CRC64NVME', data), Buffer.from(await sdk.digest()).toString('base64'), `${size} bytes`);
  }
});

t.test('streaming in odd chunks equals hashing at once, for every algorithm', async (t) => {
  const data = patternBytes(1_000_003, 5);
  const hasher = await createHasher(CHECKSUM_ALGORITHMS);
  for (let offset = 0, step = 1; offset < data.length; offset += step, step = (step * 7 + 3) % 65_537) hasher.update(data.subarray(offset, offset + step));
  const { md5Hex, checksums } = hasher.digest();
  const reference = await referenceDigests([data]);
  t.equal(md5Hex, reference.md5Hex);
  t.same(checksums, reference.checksums);
});

t.test('concurrent hashers share no state; pooled instances are reset', async (t) => {
  const inputs = [1, 2, 3, 4, 5, 6].map((n) => patternBytes(50_000 + n, n));
  for (let round = 0; round < 2; round++) {
    const hashers = await Promise.all(inputs.map(() => createHasher(['CRC32C', 'CRC64NVME'])));
    for (let offset = 0; offset < 50_010; offset += 1000) hashers.forEach((h, i) => h.update(inputs[i]!.subarray(offset, offset + 1000)));
    for (const [i, h] of hashers.entries()) {
      const ref = await referenceDigests([inputs[i]!]);
      t.same(h.digest().checksums, { CRC32C: ref.checksums.CRC32C, CRC64NVME: ref.checksums.CRC64NVME }, `round ${round} input ${i}`);
    }
  }
});

t.test('a hasher is used once; unknown algorithms are refused', async (t) => {
  const hasher = await createHasher(['SHA1', 'SHA1']);
  hasher.update(Buffer.from('x'));
  t.same(Object.keys(hasher.digest().checksums), ['SHA1'], 'duplicates ignored');
  t.throws(() => hasher.digest());
  t.throws(() => hasher.update(Buffer.from('y')));
  await t.rejects(createHasher(['MD5' as ChecksumAlgorithm]), InvalidError);
  t.ok(isChecksumAlgorithm('CRC64NVME'));
  t.notOk(isChecksumAlgorithm('crc32'));
});

t.test('composite checksum: checksum of the raw part checksums, then -N', async (t) => {
  const parts = [patternBytes(5000, 1), patternBytes(3000, 2), patternBytes(10, 3)];
  for (const a of CHECKSUM_ALGORITHMS) {
    const partSums = await Promise.all(parts.map((p) => checksumOf(a, p)));
    const raw = Buffer.concat(partSums.map((s) => Buffer.from(s, 'base64')));
    const expected = (await referenceDigests([raw])).checksums[a];
    t.equal(await compositeChecksum(a, partSums), `${expected}-3`, a);
  }
  await t.rejects(compositeChecksum('CRC32', []), InvalidError);
  await t.rejects(compositeChecksum('CRC32', ['not base64!']), InvalidError);
});

t.test('multipart ETag: md5 of the binary part md5s, then -N', async (t) => {
  const md5s = ['a', 'b'].map((s) => createHash('md5').update(s).digest('hex'));
  const expected = createHash('md5').update(Buffer.concat(md5s.map((h) => Buffer.from(h, 'hex')))).digest('hex');
  t.equal(multipartEtag(md5s), `${expected}-2`);
  t.equal(multipartEtag(md5s.map((m) => `"${m}"`)), `${expected}-2`, 'quoted ETags are accepted');
  t.throws(() => multipartEtag([]), InvalidError);
  t.throws(() => multipartEtag(['xyz']), InvalidError);
});
