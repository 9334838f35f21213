// The memo under the in-process caches: shared pending loads, group invalidation, bounds, sweep.
import t from 'tap';
import { Memo } from '../../src/core/memo.js';

const counter = () => {
  let calls = 0;
  return { load: async () => ++calls, calls: () => calls };
};

t.test('concurrent callers share one load; a group emptied while it runs forgets it', async (t) => {
  const memo = new Memo(60_000, 10);
  const c = counter();
  const [a, b] = await Promise.all([memo.get('g', 'k', c.load), memo.get('g', 'k', c.load)]);
  t.same([a, b, c.calls()], [1, 1, 1]);
  const pending = memo.get('g', 'k2', c.load);
  memo.clearGroup('g');
  t.equal(await pending, 2, 'the caller that started the load still gets it');
  t.equal(await memo.get('g', 'k2', c.load), 3, 'but it was not kept after the group was emptied');
  t.equal(await memo.get('g', 'k', c.load), 4, 'nor was anything else of the group');
});

t.test('the oldest entries go beyond the bound; failed loads are not kept', async (t) => {
  const memo = new Memo(60_000, 2);
  const c = counter();
  await memo.get('g', 'a', c.load);
  await memo.get('g', 'b', c.load);
  await memo.get('h', 'c', c.load);
  t.equal(await memo.get('g', 'b', c.load), 2, 'b stayed');
  t.equal(await memo.get('g', 'a', c.load), 4, 'a, the oldest, was evicted');
  await t.rejects(memo.get('g', 'x', async () => { throw new Error('down'); }), { message: 'down' });
  t.equal(await memo.get('g', 'x', c.load), 5, 'a failed load is retried');
});

t.test('sweep drops expired entries and keeps the others', async (t) => {
  const memo = new Memo(1_000, 10);
  const c = counter();
  await memo.get('g', 'old', c.load);
  memo.sweep(Date.now() + 500);
  t.equal(await memo.get('g', 'old', c.load), 1, 'not yet expired: kept');
  memo.sweep(Date.now() + 1_001);
  t.equal(await memo.get('g', 'old', c.load), 2, 'expired: dropped, loaded again');
});
