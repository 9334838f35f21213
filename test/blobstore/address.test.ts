import t from 'tap';
import { assertBlobAddress, isBlobAddress, newBlobAddress } from '../../src/blobstore/address.js';
import { InvalidError } from '../../src/errors.js';

t.test('new addresses are well-formed, fanned out by their own first digits, and unique', async (t) => {
  const seen = new Set<string>();
  const directories = new Set<string>();
  for (let i = 0; i < 1000; i++) {
    const a = newBlobAddress();
    t.ok(isBlobAddress(a), a);
    const [dir, id, ...rest] = a.split('/');
    t.same(rest, [], 'one level of directories');
    t.equal(dir, id?.slice(0, 2));
    t.match(dir, /^[0-9a-f]{2}$/);
    seen.add(a);
    directories.add(dir!);
  }
  t.equal(seen.size, 1000);
  t.ok(directories.size > 200, `spread over the 256 directories (${directories.size} seen)`);
});

t.test('two-level addresses of earlier stores stay valid', async (t) => {
  t.ok(isBlobAddress('ab/cd/abcd0000000000000000000000000000'));
  t.doesNotThrow(() => assertBlobAddress('ab/cd/abcd0000000000000000000000000000'));
});

t.test('anything else is not an address', async (t) => {
  const bad = ['', 'ab/cd', 'ab/cd/abcd', 'ab/cd00000000000000000000000000000000', 'ab/ab000000000000000000000000000000/', 'ab/ab00000000000000000000000000000', '../ab/cd/abcd0000000000000000000000000000', 'ab/cd/abcd0000000000000000000000000000/', 'ab/cd/ffff0000000000000000000000000000', 'AB/CD/ABCD0000000000000000000000000000'];
  for (const b of bad) {
    t.notOk(isBlobAddress(b), JSON.stringify(b));
    t.throws(() => assertBlobAddress(b), InvalidError);
  }
  t.doesNotThrow(() => assertBlobAddress('ab/cd/abcd0000000000000000000000000000'));
});
