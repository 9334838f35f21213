import t from 'tap';
import { assertBlobAddress, isBlobAddress, newBlobAddress } from '../../src/blobstore/address.js';
import { InvalidError } from '../../src/errors.js';

t.test('new addresses are well-formed, fanned out by their own first digits, and unique', async (t) => {
  const seen = new Set<string>();
  for (let i = 0; i < 1000; i++) {
    const a = newBlobAddress();
    t.ok(isBlobAddress(a), a);
    const [x, y, id] = a.split('/');
    t.equal(`${x}${y}`, id?.slice(0, 4));
    seen.add(a);
  }
  t.equal(seen.size, 1000);
});

t.test('anything else is not an address', async (t) => {
  const bad = ['', 'ab/cd', 'ab/cd/abcd', '../ab/cd/abcd0000000000000000000000000000', 'ab/cd/abcd0000000000000000000000000000/', 'ab/cd/ffff0000000000000000000000000000', 'AB/CD/ABCD0000000000000000000000000000'];
  for (const b of bad) {
    t.notOk(isBlobAddress(b), JSON.stringify(b));
    t.throws(() => assertBlobAddress(b), InvalidError);
  }
  t.doesNotThrow(() => assertBlobAddress('ab/cd/abcd0000000000000000000000000000'));
});
