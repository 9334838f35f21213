import t from 'tap';
import { patternBytes } from '../../src/blobstore/blob-store.contract-data.js';
import { checksumOf } from '../../src/blobstore/checksums.js';
import { combineCrcs, isCrcAlgorithm, type CrcAlgorithm } from '../../src/blobstore/crc-combine.js';
import { InvalidError } from '../../src/errors.js';

const ALGORITHMS: CrcAlgorithm[] = ['CRC32', 'CRC32C', 'CRC64NVME'];

t.test('the combined CRC of the parts equals the CRC of the whole object', async (t) => {
  const layouts = [[1], [0, 5], [5, 0, 7], [1, 1, 1, 1], [5 * 1024 * 1024, 5 * 1024 * 1024, 123], [65_537, 3, 999_999]];
  for (const sizes of layouts) {
    const parts = sizes.map((size, i) => patternBytes(size, i + 1));
    const whole = Buffer.concat(parts);
    for (const a of ALGORITHMS) {
      const partSums = await Promise.all(parts.map(async (p) => ({ checksum: await checksumOf(a, p), size: p.length })));
      t.equal(combineCrcs(a, partSums), await checksumOf(a, whole), `${a} of parts ${sizes.join('+')}`);
    }
  }
});

// The most parts a multipart upload can have. (Not timed: a combination quadratic in the parts
// would show as this test running into the suite's timeout.)
t.test('10,000 equal parts combine to the checksum of the whole', async (t) => {
  const part = patternBytes(1000, 9);
  const sum = await checksumOf('CRC64NVME', part);
  const combined = combineCrcs('CRC64NVME', Array.from({ length: 10_000 }, () => ({ checksum: sum, size: 1000 })));
  t.equal(combined, await checksumOf('CRC64NVME', Buffer.concat(Array.from({ length: 10_000 }, () => part))));
});

t.test('bad input is refused', async (t) => {
  t.throws(() => combineCrcs('CRC32', []), InvalidError);
  t.throws(() => combineCrcs('CRC32', [{ checksum: 'AAAAAAAAAAA=', size: 1 }]), InvalidError, 'a 64-bit value for a 32-bit CRC');
  t.throws(() => combineCrcs('CRC32', [{ checksum: 'AAAAAA==', size: -1 }]), InvalidError);
  t.ok(isCrcAlgorithm('CRC32C'));
  t.notOk(isCrcAlgorithm('SHA256'));
});
