// The transaction promises of `Db.withTx` on every backend: statements sent before the answer
// to the one before them still run inside the transaction, `queryAndCommit` commits with the
// transaction's last statement and rolls everything back when that statement fails, and
// nothing runs after it.
import { randomBytes } from 'node:crypto';
import t from 'tap';
import type { Db } from '../../src/catalog/index.js';
import { forEachCatalog, openPglite } from '../helpers/catalog.js';

/** A table of its own for each test, so the backends' shared catalogs stay apart. */
async function probeTable(db: Db): Promise<{ name: string; values: () => Promise<number[]> }> {
  const name = `tx_probe_${randomBytes(4).toString('hex')}`;
  await db.exec(`CREATE TABLE ${name} (v int NOT NULL)`);
  const values = async () => (await db.query<{ v: number }>(`SELECT v FROM ${name} ORDER BY v`)).rows.map((r) => r.v);
  return { name, values };
}

forEachCatalog(t, 'queryAndCommit commits the statements before it and its own', async (t, db) => {
  const probe = await probeTable(db);
  const returned = await db.withTx(async (tx) => {
    await tx.query(`INSERT INTO ${probe.name} VALUES (1)`);
    return (await tx.queryAndCommit<{ v: number }>(`INSERT INTO ${probe.name} VALUES ($1) RETURNING v`, [2])).rows;
  });
  t.same(returned, [{ v: 2 }], 'the last statement answers');
  t.same(await probe.values(), [1, 2]);
});

forEachCatalog(t, 'a failing last statement rolls the whole transaction back', async (t, db) => {
  const probe = await probeTable(db);
  await t.rejects(
    db.withTx(async (tx) => {
      await tx.query(`INSERT INTO ${probe.name} VALUES (3)`);
      await tx.queryAndCommit(`INSERT INTO ${probe.name} VALUES (1 / 0)`);
    }),
    /division by zero/,
  );
  t.same(await probe.values(), [], 'nothing of the transaction was kept');
  await db.withTx((tx) => tx.query(`INSERT INTO ${probe.name} VALUES (4)`));
  t.same(await probe.values(), [4], 'the connection is usable afterwards');
});

forEachCatalog(t, 'statements sent without waiting run inside the transaction', async (t, db) => {
  const probe = await probeTable(db);
  await t.rejects(
    db.withTx(async (tx) => {
      const first = tx.query(`INSERT INTO ${probe.name} VALUES (5)`);
      const second = tx.query(`INSERT INTO ${probe.name} VALUES (6)`);
      await Promise.all([first, second]);
      throw new Error('refused after writing');
    }),
    /refused after writing/,
  );
  t.same(await probe.values(), [], 'both were rolled back with the transaction');
});

forEachCatalog(t, 'nothing runs on a transaction after queryAndCommit', async (t, db) => {
  const probe = await probeTable(db);
  await t.rejects(
    db.withTx(async (tx) => {
      await tx.queryAndCommit(`INSERT INTO ${probe.name} VALUES (7)`);
      await tx.query(`INSERT INTO ${probe.name} VALUES (8)`);
    }),
    /already been sent its COMMIT/,
  );
  t.notOk((await probe.values()).includes(8), 'the late statement did not run');
});

// Below withTx: the embedded catalog's thread receives a transaction's statements before it has
// answered its BEGIN. If BEGIN fails they must not run, or they would run outside any transaction.
t.test('the catalog thread refuses the statements of a transaction whose BEGIN failed', async (t) => {
  const db = await openPglite(true);
  t.teardown(() => db.close());
  const probe = await probeTable(db);
  // The thread's protocol is private to ThreadedPgliteDb; this test speaks it directly.
  const thread = db as unknown as { send(request: object): Promise<unknown> };
  const tx = 1_000_000;
  const begin = thread.send({ op: 'query', sql: 'BEGIN TRANSACTION ISOLATION LEVEL NONSENSE', params: [], tx, begin: true });
  const insert = thread.send({ op: 'query', sql: `INSERT INTO ${probe.name} VALUES (9)`, params: [], tx });
  const rollback = thread.send({ op: 'query', sql: 'ROLLBACK', params: [], tx, end: true });
  await t.rejects(begin, /syntax error|nonsense/i, 'BEGIN failed');
  await t.rejects(insert, /the transaction did not begin/, 'the statement behind it was refused');
  await t.rejects(rollback, /the transaction did not begin/, 'so was its end');
  t.same(await probe.values(), [], 'nothing ran outside a transaction');
  await db.withTx((inTx) => inTx.query(`INSERT INTO ${probe.name} VALUES (10)`));
  t.same(await probe.values(), [10], 'the next transaction runs normally');
});
