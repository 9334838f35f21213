// PGlite: the embedded default, PostgreSQL compiled to WebAssembly inside this process.
// We use its own API rather than the node-postgres adapter: it is one connection, and
// `transaction()` gives the exclusive use of it that our withTx promises, with no pool
// emulation in between. Parsers make its rows look like pg's (int8 as number).
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { INT8_OID, parseInt8, payloadFor, type CatalogEvent, type Db, type Queryable, type QueryResult, type SqlParam } from '../db.js';

const parsers = { [INT8_OID]: parseInt8 };

class PgliteQueryable implements Queryable {
  constructor(private readonly target: PGlite | Transaction) {}

  async query<Row>(sql: string, params: readonly SqlParam[] = []): Promise<QueryResult<Row>> {
    const result = await this.target.query<Row>(sql, params as unknown[]);
    return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
  }

  async exec(script: string): Promise<void> {
    await this.target.exec(script);
  }
}

export class PgliteDb extends PgliteQueryable implements Db {
  readonly kind = 'pglite' as const;

  private constructor(private readonly pglite: PGlite) {
    super(pglite);
  }

  /** dataDir undefined = in memory (tests and benchmarks). */
  static async open(dataDir?: string): Promise<PgliteDb> {
    const pglite = new PGlite({ ...(dataDir ? { dataDir } : {}), parsers });
    await pglite.waitReady;
    // This session is the only one the catalog will ever have: the triggers that keep
    // in-process caches of repositories exact fire only where this is set (migration 0003).
    await pglite.exec(`SET trove.single_process = 'on'`);
    return new PgliteDb(pglite);
  }

  // One process owns the data directory, so every NOTIFY is this process's own: PGlite hands
  // it to the listener before the statement that committed it resolves, and is never 'lost'.
  async listen(channel: string, fn: (event: CatalogEvent) => void): Promise<() => Promise<void>> {
    const unsubscribe = await this.pglite.listen(channel, (payload) => {
      const mine = payloadFor('public', payload);
      if (mine !== null) fn({ kind: 'notify', payload: mine });
    });
    fn({ kind: 'ready' });
    return unsubscribe;
  }

  withTx<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.pglite.transaction((tx) => fn(new PgliteQueryable(tx)));
  }

  async close(): Promise<void> {
    if (!this.pglite.closed) await this.pglite.close();
  }
}
