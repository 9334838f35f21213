// A direct commit's cost must not grow with the repository: ending the live versions of the
// paths it touches reads those paths' entries through the index, never the repository's whole
// set of live entries (src/catalog/queries/commit.ts, endLiveVersions). Measured as the buffers
// the statement touches, with planner statistics and, on PGlite, without: PGlite gathers them
// only every few seconds (src/catalog/pglite/statistics.ts), so a commit often runs on none
// for the latest rows. (PostgreSQL 15 without any statistics reads the repository's live
// entries here, filtering on the paths instead of seeking them; its autovacuum analyzes a table
// soon after it grows by a tenth, so that lasts seconds, not the life of a repository.)
import t from 'tap';
import { commitChanges, type Db } from '../../src/catalog/index.js';
import type { SqlParam, Transaction } from '../../src/catalog/db.js';
import { forEachBackend } from '../helpers/catalog.js';
import { newRepository, objectFor } from './fixtures.js';

const LIVE = 5000;

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

forEachBackend(t, 'committing one path reads that path, not every live entry', async (t, db) => {
  const repo = await newRepository(db);
  const all = Array.from({ length: LIVE }, (_, i) => ({ path: `data/part-${String(i).padStart(5, '0')}`, object: objectFor(`v${i}`) }));
  await commitChanges(db, repo.id, all, { message: 'fill' });
  const wholeTable = (await db.query<{ n: number }>(`SELECT (pg_relation_size('entries') / current_setting('block_size')::int)::int AS n`)).rows[0]!.n;
  t.ok(wholeTable > 50, `the live entries fill ${wholeTable} pages`);

  const cases = db.kind === 'pglite' ? ['without statistics', 'with statistics'] : ['with statistics'];
  for (const stats of cases) {
    if (stats === 'with statistics') await db.exec('ANALYZE entries');
    const measured: Measured[] = [];
    await commitChanges(measuringUpdates(db, measured), repo.id, [{ path: 'data/part-00042', object: objectFor(`again ${stats}`) }], { message: stats });
    t.equal(measured.length, 1, 'one UPDATE of entries');
    const [{ blocks, shape }] = measured as [Measured];
    t.ok(blocks < wholeTable / 4, `${stats}: ${blocks} buffers touched, of ${wholeTable} pages, by ${shape}`);
  }
});
