// The planner statistics that PostgreSQL's autovacuum would keep, for PGlite, which has no
// autovacuum (and no cumulative statistics to say what changed). Without them the planner
// knows nothing of the columns' values and falls back on default selectivities, and a join
// that should probe an index per row can read a whole repository's entries instead. A table is
// analyzed once it has grown by a fifth since it was last analyzed (pg_class.relpages, which
// ANALYZE records, against its size now), checked at most every CHECK_INTERVAL_MS and only
// after some transaction has ended: a few analyses over a table's life, each reading a bounded
// sample (ANALYZE samples at most 30,000 rows).
import type { PGlite } from '@electric-sql/pglite';

export const CHECK_INTERVAL_MS = 10_000;
/** Growth, as a fraction of the pages at the last analysis, that makes a table stale. */
const GROWTH = 0.2;
/** Below this many pages a table is read whole in any plan: not worth analyzing. */
const MIN_PAGES = 8;

export class StatisticsKeeper {
  private lastCheck: number;
  private ran = false;

  constructor(private readonly intervalMs = CHECK_INTERVAL_MS, now = Date.now()) {
    this.lastCheck = now;
  }

  /** A transaction, or a statement outside one, has ended: the tables may have changed. */
  noteEnded(): void {
    this.ran = true;
  }

  /** Whether a check is due; if so it is counted as started, so one caller runs it. */
  takeDue(now = Date.now()): boolean {
    if (!this.ran || now - this.lastCheck < this.intervalMs) return false;
    this.lastCheck = now;
    this.ran = false;
    return true;
  }

  /** Analyzes the tables that have grown since their last analysis; returns their names. */
  async refresh(pglite: Pick<PGlite, 'query' | 'exec'>): Promise<string[]> {
    const { rows } = await pglite.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c
       WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r'
         AND pg_relation_size(c.oid) / current_setting('block_size')::int >= ${MIN_PAGES}
         AND pg_relation_size(c.oid) / current_setting('block_size')::int > c.relpages * ${1 + GROWTH}
       ORDER BY c.relname`,
    );
    for (const { name } of rows) await pglite.exec(`ANALYZE public.${quoteIdent(name)}`);
    return rows.map((r) => r.name);
  }
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
