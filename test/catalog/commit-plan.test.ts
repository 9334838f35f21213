// A direct commit's cost must not grow with the repository: ending the live versions of the
// paths it touches reads those paths' entries through the index, never the repository's whole
// set of live entries nor its history (src/catalog/queries/commit.ts, endLiveVersions).
// Measured as the buffers the statement touches, without planner statistics and with them:
// PGlite gathers them only every few seconds (src/catalog/pglite/statistics.ts) and PostgreSQL
// when autovacuum gets to it, so a commit often runs on none for the latest rows. The entries
// come from many commits, as they do in use: with one commit's worth, an index scan across
// commits costs nothing and hides what it costs in a repository with a history.
// (On PostgreSQL, "without statistics" holds as long as autovacuum has not analyzed the new
// schema's tables, which it does a minute or more after they fill, so almost always.)
import t from 'tap';
import { commitChanges, type Db } from '../../src/catalog/index.js';
import type { SqlParam, Transaction } from '../../src/catalog/db.js';
import { forEachBackend } from '../helpers/catalog.js';
import { newRepository, objectFor } from './fixtures.js';

const ENTRIES = 8000;
const CONCURRENT = 100;
/** Paths in the measured commit: a few buffers each through the index, far fewer than the table. */
const TOUCHED = 20;

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Shared Hit Blocks': number;
  'Shared Read Blocks': number;
  Plans?: PlanNode[];
}

interface Measured {
  blocks: number;
  /** The plan's shape, to say what went wrong when it reads too much. */
  shape: string;
}

function shapeOf(node: PlanNode): string {
  const name = node['Index Name'] ? `${node['Node Type']} using ${node['Index Name']}` : node['Node Type'];
  return node.Plans ? `${name}(${node.Plans.map(shapeOf).join(', ')})` : name;
}

/** A Db whose transactions report the buffers each UPDATE of entries touches, measured in a savepoint. */
function measuringUpdates(db: Db, measured: Measured[]): Db {
  const measure = (tx: Transaction): Transaction => ({
    exec: (script) => tx.exec(script),
    queryAndCommit: (sql, params) => tx.queryAndCommit(sql, params),
    async query<Row>(sql: string, params?: readonly SqlParam[]) {
      if (/^\s*UPDATE entries\b/.test(sql)) {
        await tx.query('SAVEPOINT measure');
        const { rows } = await tx.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] | string }>(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql}`, params);
        await tx.query('ROLLBACK TO SAVEPOINT measure');
        const cell = rows[0]!['QUERY PLAN'];
        const { Plan } = (typeof cell === 'string' ? JSON.parse(cell) : cell)[0] as { Plan: PlanNode };
        measured.push({ blocks: Plan['Shared Hit Blocks'] + Plan['Shared Read Blocks'], shape: shapeOf(Plan) });
      }
      return tx.query<Row>(sql, params);
    },
  });
  return Object.assign(Object.create(db) as Db, { withTx: <T>(fn: (tx: Transaction) => Promise<T>) => db.withTx((tx) => fn(measure(tx))) });
}

forEachBackend(t, 'a commit reads the paths it touches, not every live entry or their history', async (t, db) => {
  const repo = await newRepository(db);
  // One path per commit, as PUTs write them, many at a time as group commit batches them.
  for (let first = 0; first < ENTRIES; first += CONCURRENT) {
    await Promise.all(Array.from({ length: CONCURRENT }, (_, i) => {
      const path = `data/part-${String(first + i).padStart(5, '0')}`;
      return commitChanges(db, repo.id, [{ path, object: objectFor(path) }], { message: `put ${path}` });
    }));
  }
  const wholeTable = (await db.query<{ n: number }>(`SELECT (pg_relation_size('entries') / current_setting('block_size')::int)::int AS n`)).rows[0]!.n;
  t.ok(wholeTable > 50, `the live entries fill ${wholeTable} pages`);

  for (const stats of ['without statistics', 'with statistics']) {
    if (stats === 'with statistics') await db.exec('ANALYZE entries');
    const measured: Measured[] = [];
    // As a batch of PUTs commits: one path that exists, the others new.
    const paths = ['data/part-00042', ...Array.from({ length: TOUCHED - 1 }, (_, i) => `new/${stats}/${i}`)];
    await commitChanges(measuringUpdates(db, measured), repo.id, paths.map((path) => ({ path, object: objectFor(`again ${path}`) })), { message: stats });
    t.equal(measured.length, 1, 'one UPDATE of entries');
    const [{ blocks, shape }] = measured as [Measured];
    t.ok(blocks < wholeTable, `${stats}: ${blocks} buffers touched for ${TOUCHED} paths, of ${wholeTable} pages, by ${shape}`);
    // The index by commit holds each path once per commit that wrote it: PostgreSQL 18 (PGlite)
    // without statistics skip-scanned it commit by commit, in few buffers but with a search per
    // commit and path (4-6 ms for 21 paths among 6,300 entries, against 0.4), growing with the history.
    t.notMatch(shape, /entries_born/, `${stats}: the paths are not looked up through the index by commit`);
  }
});
