// The embedded catalog keeps planner statistics itself (src/catalog/pglite/statistics.ts):
// PGlite has no autovacuum, and a planner that believes every table empty can read a whole
// repository's entries for each commit.
import { setTimeout as sleep } from 'node:timers/promises';
import { PGlite } from '@electric-sql/pglite';
import t from 'tap';
import { commitChanges, type Db } from '../../src/catalog/index.js';
import { CHECK_INTERVAL_MS, StatisticsKeeper } from '../../src/catalog/pglite/statistics.js';
import { openPglite } from '../helpers/catalog.js';
import { newRepository, objectFor } from './fixtures.js';

t.test('a check is due only after a transaction ended and the interval passed, and to one caller', async (t) => {
  const keeper = new StatisticsKeeper(1000, 0);
  t.notOk(keeper.takeDue(5000), 'nothing ran: nothing to check');
  keeper.noteEnded();
  const early = new StatisticsKeeper(1000, 0);
  early.noteEnded();
  t.notOk(early.takeDue(999), 'within the interval');
  t.ok(keeper.takeDue(5000));
  t.notOk(keeper.takeDue(5001), 'taken: not due again at once');
  keeper.noteEnded();
  t.notOk(keeper.takeDue(5999), 'the interval counts from the last check');
  t.ok(keeper.takeDue(6000));
});

t.test('refresh analyzes a table once it has grown by a fifth since its last analysis', async (t) => {
  const pglite = new PGlite();
  t.teardown(() => pglite.close());
  await pglite.exec(`CREATE TABLE big (id int, pad text); CREATE TABLE small (id int)`);
  const grow = (from: number, to: number) =>
    pglite.exec(`INSERT INTO big SELECT g, repeat('x', 100) FROM generate_series(${from}, ${to - 1}) g; INSERT INTO small VALUES (${from})`);
  const relpages = async (name: string) =>
    (await pglite.query<{ n: number }>(`SELECT relpages AS n FROM pg_class WHERE relname = $1`, [name])).rows[0]!.n;
  const keeper = new StatisticsKeeper();

  await grow(0, 10_000);
  t.same(await keeper.refresh(pglite), ['big'], 'the grown table, not the one of a page');
  const pages = await relpages('big');
  t.ok(pages >= 100, `ANALYZE recorded its ${pages} pages`);
  t.same(await keeper.refresh(pglite), [], 'nothing changed since');
  await grow(10_000, 11_000);
  t.same(await keeper.refresh(pglite), [], 'a tenth more is not yet stale');
  await grow(11_000, 13_000);
  t.same(await keeper.refresh(pglite), ['big'], 'three tenths more is');
  t.ok((await relpages('big')) > pages * 1.2);
});

// Both ways a server runs PGlite: on the calling thread, and on a thread of its own.
for (const onThread of [false, true]) {
  t.test(`a catalog ${onThread ? 'on its own thread' : 'on the calling thread'} analyzes its grown tables by itself`, async (t) => {
    const db = await openPglite(onThread);
    const opened = Date.now(); // the keeper's interval counts from no earlier than this
    t.teardown(() => db.close());
    const repo = await newRepository(db);
    const changes = Array.from({ length: 3000 }, (_, i) => ({ path: `key-${i}`, object: objectFor(`v${i}`) }));
    await commitChanges(db, repo.id, changes, { message: 'many' });
    t.equal(await entriesColumnStatistics(db), 0, 'no column statistics yet: the planner would guess');
    await sleep(Math.max(0, opened + CHECK_INTERVAL_MS + 200 - Date.now()));
    await commitChanges(db, repo.id, [{ path: 'one-more', object: objectFor('x') }], { message: 'one more' });
    let columns = 0;
    for (let tries = 0; tries < 50 && columns === 0; tries++, await sleep(100)) columns = await entriesColumnStatistics(db);
    t.ok(columns > 0, `analyzed after the next commit once the interval passed (${columns} columns)`);
  });
}

async function entriesColumnStatistics(db: Db): Promise<number> {
  const { rows } = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stats WHERE schemaname = 'public' AND tablename = 'entries'`);
  return rows[0]!.n;
}
