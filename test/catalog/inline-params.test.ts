// The embedded catalog writes parameters into statements as literals (src/catalog/pglite/
// inline-params.ts). Every value must come back from PostgreSQL exactly as it went in, and no
// value, however crafted, may change the statement.
import { randomBytes } from 'node:crypto';
import t from 'tap';
import { inlineParams, literal } from '../../src/catalog/pglite/inline-params.js';
import type { Db } from '../../src/catalog/index.js';
import { openPglite } from '../helpers/catalog.js';

const NASTY = [
  '', "'", "''", "a'b", "'; DROP TABLE entries; --", '\\', "\\'", '\\\\x', '$1', '$$', '$tag$', '-- comment', '/* c */', '"',
  '{a,b}', '{"x"}', 'NULL', 'null', 'ünïcödé 😀', '\u0001\u001f', 'line\nbreak\r\ttab', 'E\'\\n\'', ')', '),(1', '::text',
];

let db: Db;
t.before(async () => {
  db = await openPglite();
});
t.teardown(() => db.close());

t.test('strings round-trip exactly and never escape their literal', async (t) => {
  for (const value of [...NASTY, randomBytes(64).toString('latin1').replaceAll('\0', ''), 'x'.repeat(100_000)]) {
    const { rows } = await db.query<{ v: string; n: number }>('SELECT $1::text AS v, 1 AS n', [value]);
    t.equal(rows[0]!.v, value, JSON.stringify(value.slice(0, 40)));
    t.equal(rows.length, 1);
  }
});

t.test('arrays, JSON, numbers, booleans, dates and NULL round-trip', async (t) => {
  const { rows } = await db.query<Record<string, unknown>>(
    'SELECT $1::text[] AS a, $2::jsonb AS j, $3::bigint AS n, $4::float8 AS f, $5::boolean AS b, $6::timestamptz AS d, $7::text AS z, $3 - $8 AS diff',
    [NASTY, { q: "it's", nested: { s: '\\"', arr: NASTY } }, 9007199254740000, -1.5, false, new Date('2026-12-01T10:00:00.123Z'), null, -5],
  );
  const row = rows[0]!;
  t.same(row.a, NASTY);
  t.same(row.j, { q: "it's", nested: { s: '\\"', arr: NASTY } });
  t.equal(row.n, 9007199254740000);
  t.equal(row.f, -1.5);
  t.equal(row.b, false);
  t.equal((row.d as Date).toISOString(), '2026-12-01T10:00:00.123Z');
  t.equal(row.z, null);
  t.equal(row.diff, 9007199254740005, 'a negative number after a minus is not a comment');
});

t.test('placeholders inside strings, identifiers, dollar quotes and comments are left alone', async (t) => {
  t.equal(inlineParams(`SELECT '$1', "$1", $$ $1 $$, $q$ $1 $q$ -- $1\n, /* $1 */ $1`, ['x']),
    `SELECT '$1', "$1", $$ $1 $$, $q$ $1 $q$ -- $1\n, /* $1 */ 'x'`);
  t.equal(inlineParams('SELECT $10, $1', Array.from({ length: 10 }, (_, i) => i + 1)), 'SELECT (10), (1)');
  t.throws(() => inlineParams('SELECT $2', ['only one']), RangeError);
});

t.test('values that cannot be written exactly are refused', async (t) => {
  t.throws(() => literal('a\0b'), RangeError);
  t.throws(() => literal(Number.NaN), RangeError);
  t.throws(() => literal(Number.POSITIVE_INFINITY), RangeError);
  t.throws(() => literal(new Date('nope')), RangeError);
});
