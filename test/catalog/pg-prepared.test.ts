// PostgreSQL only: statements with parameters are prepared once per connection. A table that
// changes shape under a prepared statement (another process migrated the schema) must not
// break the statement for good.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import t from 'tap';
import { PgDb } from '../../src/catalog/pg/pg-db.js';

const url = process.env.TEST_DATABASE_URL;

t.test('a prepared statement whose table changed shape runs again, unnamed', { skip: !url && 'needs TEST_DATABASE_URL (PostgreSQL only)' }, async (t) => {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  t.teardown(async () => {
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
  });
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.query(`CREATE TABLE ${schema}.shapes (id int PRIMARY KEY, a text)`);
  await admin.query(`INSERT INTO ${schema}.shapes VALUES (1, 'x')`);
  const scoped = new URL(url!);
  scoped.searchParams.set('options', `-c search_path=${schema}`);
  // One connection, so every statement meets the one its earlier runs prepared.
  const db = PgDb.open(scoped.toString(), 1);
  t.teardown(() => db.close());

  const read = () => db.query('SELECT * FROM shapes WHERE id = $1', [1]);
  t.same((await read()).rows, [{ id: 1, a: 'x' }]);
  t.same((await read()).rows, [{ id: 1, a: 'x' }], 'the prepared statement runs again');
  await admin.query(`ALTER TABLE ${schema}.shapes ADD COLUMN b text`);
  t.same((await read()).rows, [{ id: 1, a: 'x', b: null }], 'after the change, the new shape at once');
  t.same((await read()).rows, [{ id: 1, a: 'x', b: null }], 'and from then on');

  const update = (tx: { query: PgDb['query'] }) => tx.query('SELECT * FROM shapes WHERE id = $1 FOR UPDATE', [1]);
  t.same((await db.withTx(update)).rows, [{ id: 1, a: 'x', b: null }]);
  await admin.query(`ALTER TABLE ${schema}.shapes ADD COLUMN c text`);
  await t.rejects(db.withTx(update), /cached plan must not change result type/, 'inside a transaction the failed statement ends it');
  t.same((await db.withTx(update)).rows, [{ id: 1, a: 'x', b: null, c: null }], 'the next transaction runs it unnamed');
});
