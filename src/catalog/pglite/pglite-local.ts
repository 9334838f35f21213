// The embedded catalog on the calling thread: for catalogs in memory (tests, benchmarks,
// tools), where nothing else waits on the event loop. A server's catalog runs on a thread of its
// own (pglite-threaded.ts). We use PGlite's own API rather than the node-postgres adapter: it is
// one connection, and `transaction()` gives the exclusive use of it that our withTx promises.
import type { PGlite, Transaction as PgliteTx } from '@electric-sql/pglite';
import { payloadFor, type CatalogEvent, type Queryable, type QueryResult, type SqlParam, type Transaction, transactionEnded } from '../db.js';
import { inlineParams } from './inline-params.js';
import { openPglite, type OpenOptions } from './pglite-open.js';
import type { PgliteDb } from './pglite-db.js';
import { StatisticsKeeper } from './statistics.js';

class PgliteQueryable implements Queryable {
  constructor(private readonly target: PGlite | PgliteTx) {}

  // The simple query protocol with the values inlined: a third of the cost of a parameterized
  // query in PGlite (inline-params.ts says why, and why it is safe).
  async query<Row>(sql: string, params: readonly SqlParam[] = []): Promise<QueryResult<Row>> {
    const results = await this.target.exec(inlineParams(sql, params));
    const result = results[results.length - 1];
    const rows = (result?.rows ?? []) as Row[];
    return { rows, rowCount: result?.affectedRows ?? rows.length };
  }

  async exec(script: string): Promise<void> {
    await this.target.exec(script);
  }
}

/** On this thread nothing is gained by sending COMMIT early: PGlite commits when fn resolves. */
class PgliteTransaction extends PgliteQueryable implements Transaction {
  private ended = false;

  override query<Row>(sql: string, params: readonly SqlParam[] = []): Promise<QueryResult<Row>> {
    if (this.ended) return transactionEnded();
    return super.query<Row>(sql, params);
  }

  queryAndCommit<Row>(sql: string, params: readonly SqlParam[] = []): Promise<QueryResult<Row>> {
    const result = this.query<Row>(sql, params);
    this.ended = true;
    return result;
  }
}

export class LocalPgliteDb extends PgliteQueryable implements PgliteDb {
  readonly kind = 'pglite' as const;
  private readonly statistics = new StatisticsKeeper();
  private analyzing: Promise<void> = Promise.resolve();

  private constructor(private readonly pglite: PGlite) {
    super(pglite);
  }

  static async open(options: OpenOptions): Promise<LocalPgliteDb> {
    return new LocalPgliteDb(await openPglite(options));
  }

  // One process owns the catalog, so every NOTIFY is this process's own: PGlite hands it to the
  // listener before the statement that committed it resolves, and it is never 'lost'.
  async listen(channel: string, fn: (event: CatalogEvent) => void): Promise<() => Promise<void>> {
    const unsubscribe = await this.pglite.listen(channel, (payload) => {
      const mine = payloadFor('public', payload);
      if (mine !== null) fn({ kind: 'notify', payload: mine });
    });
    fn({ kind: 'ready' });
    return unsubscribe;
  }

  dump(): Promise<Blob> {
    return this.pglite.dumpDataDir('gzip');
  }

  async withTx<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    try {
      return await this.pglite.transaction((tx) => fn(new PgliteTransaction(tx)));
    } finally {
      this.keepStatistics();
    }
  }

  async close(): Promise<void> {
    await this.analyzing;
    if (!this.pglite.closed) await this.pglite.close();
  }

  // Not awaited by the transaction that made it due: PGlite runs it after whatever is queued.
  private keepStatistics(): void {
    this.statistics.noteEnded();
    if (this.pglite.closed || !this.statistics.takeDue()) return;
    this.analyzing = this.statistics.refresh(this.pglite).then(() => undefined, () => undefined);
  }
}
