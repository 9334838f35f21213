// PostgreSQL through a `pg` Pool: production, many gateway processes on one database.
// Only catalog/pg/ imports `pg`.
import pg from 'pg';
import { INT8_OID, parseInt8, payloadFor, type CatalogEvent, type Db, type Queryable, type QueryResult, type SqlParam, type Transaction, transactionEnded } from '../db.js';
import { PgListener, type ListenerEvent } from './pg-listener.js';

const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID) return parseInt8;
    return pg.types.getTypeParser(oid, format);
  },
};

class PgQueryable implements Queryable {
  constructor(
    protected readonly client: pg.PoolClient,
    private readonly inTransaction = false,
  ) {}

  async query<Row>(sql: string, params: readonly SqlParam[] = []): Promise<QueryResult<Row>> {
    const values = params as unknown[];
    const name = params.length > 0 ? statementName(sql) : undefined;
    const { rows, rowCount } = await this.client.query(name ? { name, text: sql, values } : { text: sql, values }).catch((err: unknown) => {
      if (!name || !isStalePlan(err)) throw err;
      // A migration changed a table under a prepared statement (another process upgraded the
      // schema): this text runs unnamed from now on, and at once again outside a transaction
      // (inside one, the failed statement has already ended it).
      unnamedStatements.add(sql);
      if (this.inTransaction) throw err;
      return this.client.query({ text: sql, values });
    });
    return { rows: rows as Row[], rowCount: rowCount ?? 0 };
  }

  async exec(script: string): Promise<void> {
    await this.client.query(script);
  }
}

/** A transaction on a pooled connection, from just after its BEGIN. */
class PgTransaction extends PgQueryable implements Transaction {
  private committing: Promise<pg.QueryResult> | undefined;

  constructor(client: pg.PoolClient) {
    super(client, true);
  }

  override query<Row>(sql: string, params: readonly SqlParam[] = []): Promise<QueryResult<Row>> {
    if (this.committing) return transactionEnded();
    return super.query<Row>(sql, params);
  }

  override exec(script: string): Promise<void> {
    if (this.committing) return transactionEnded();
    return super.exec(script);
  }

  // node-postgres sends a queued query as soon as the one before it is answered, from its own
  // socket callback: COMMIT goes out without waiting for this process's next turn.
  queryAndCommit<Row>(sql: string, params: readonly SqlParam[] = []): Promise<QueryResult<Row>> {
    const result = this.query<Row>(sql, params);
    this.committing = this.client.query('COMMIT');
    void this.committing.catch(() => undefined); // awaited by commit() or rollback()
    return result;
  }

  async commit(): Promise<void> {
    const committed = await (this.committing ?? this.client.query('COMMIT'));
    if (committed.command === 'ROLLBACK') throw new Error('the transaction was rolled back at COMMIT');
  }

  async rollback(): Promise<void> {
    // After queryAndCommit, the COMMIT of a failed transaction is its rollback.
    await (this.committing ?? this.client.query('ROLLBACK')).catch(() => undefined);
  }
}

// Statements with parameters are prepared once per connection and then only bound and run:
// PostgreSQL parses and plans each text once instead of on every call, which is most of its
// work for the short statements of a GET or a commit. The names are kept for the first
// MAX_PREPARED texts this process sends; rarer texts beyond them run unnamed, as before.
const MAX_PREPARED = 500;
const statementNames = new Map<string, string>();
const unnamedStatements = new Set<string>();

function statementName(sql: string): string | undefined {
  if (unnamedStatements.has(sql)) return undefined;
  const known = statementNames.get(sql);
  if (known !== undefined || statementNames.size >= MAX_PREPARED) return known;
  const name = `trove_${statementNames.size + 1}`;
  statementNames.set(sql, name);
  return name;
}

/** PostgreSQL's answer to a prepared statement whose tables changed shape since it was prepared. */
function isStalePlan(err: unknown): boolean {
  const { code, message } = err as { code?: string; message?: string };
  return code === '0A000' && /cached plan must not change result type/.test(message ?? '');
}

type Subscriber = (event: CatalogEvent) => void;

export class PgDb implements Db {
  readonly kind = 'postgres' as const;

  private readonly listeners = new Set<PgListener>();
  private readonly subscribers = new Map<string, Set<Subscriber>>();
  /** The channels each pooled connection LISTENs on. */
  private readonly listening = new WeakMap<pg.PoolClient, Set<string>>();
  /** Backend process ids of the pooled connections: their notifications are theirs to pass on. */
  private readonly poolPids = new Set<number>();
  /** This catalog's schema: notifications name it, so catalogs sharing a database stay apart. */
  private schema: Promise<string> | undefined;

  constructor(
    private readonly pool: pg.Pool,
    private readonly connectionString: string,
  ) {}

  static open(connectionString: string, maxConnections = 20): PgDb {
    const pool = new pg.Pool({ connectionString, max: maxConnections, types });
    // An idle client that loses its connection must not crash the process.
    pool.on('error', () => {});
    return new PgDb(pool, connectionString);
  }

  query<Row>(sql: string, params?: readonly SqlParam[]): Promise<QueryResult<Row>> {
    return this.withClient((client) => new PgQueryable(client).query<Row>(sql, params));
  }

  exec(script: string): Promise<void> {
    return this.withClient((client) => new PgQueryable(client).exec(script));
  }

  // Two kinds of listening. A dedicated connection per channel hears every process and tells
  // when it may have missed something ('lost'). And every pooled connection LISTENs too,
  // because PostgreSQL hands a session its own notifications before its COMMIT returns: this
  // process hears its own changes before the statement that made them resolves. Each
  // notification is passed on once: by the pooled connection that sent it, or else by the
  // dedicated one.
  async listen(channel: string, fn: Subscriber): Promise<() => Promise<void>> {
    this.schema ??= this.query<{ schema: string }>('SELECT current_schema() AS schema').then((r) => r.rows[0]!.schema);
    const schema = await this.schema;
    const mine: Subscriber = (event) => {
      if (event.kind !== 'notify') return fn(event);
      const payload = payloadFor(schema, event.payload);
      if (payload !== null) fn({ kind: 'notify', payload });
    };
    let subscribers = this.subscribers.get(channel);
    if (!subscribers) this.subscribers.set(channel, (subscribers = new Set()));
    subscribers.add(mine);
    const fromListener = (event: ListenerEvent) => {
      if (event.kind !== 'notify' || !this.poolPids.has(event.senderPid)) mine(event);
    };
    const listener = await PgListener.start(this.connectionString, channel, fromListener);
    this.listeners.add(listener);
    return async () => {
      subscribers.delete(mine);
      this.listeners.delete(listener);
      await listener.close();
    };
  }

  async withTx<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    return this.withClient(async (client) => {
      // Awaited: a statement sent behind a BEGIN that failed would run outside any transaction.
      await client.query('BEGIN');
      const tx = new PgTransaction(client);
      let result: T;
      try {
        result = await fn(tx);
      } catch (err) {
        await tx.rollback();
        throw err;
      }
      await tx.commit();
      return result;
    });
  }

  private async withClient<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await this.listenOn(client);
      return await fn(client);
    } finally {
      client.release();
    }
  }

  private async listenOn(client: pg.PoolClient): Promise<void> {
    let channels = this.listening.get(client);
    if (!channels) {
      this.listening.set(client, (channels = new Set()));
      const pid = (client as unknown as { processID: number }).processID; // set once connected; not in @types/pg
      this.poolPids.add(pid);
      client.on('end', () => this.poolPids.delete(pid));
      client.on('notification', (n) => {
        if (n.processId !== pid) return; // another session's: the dedicated listener passes it on
        for (const fn of this.subscribers.get(n.channel) ?? []) fn({ kind: 'notify', payload: n.payload ?? '' });
      });
    }
    for (const channel of this.subscribers.keys()) {
      if (channels.has(channel)) continue;
      await client.query(`LISTEN ${client.escapeIdentifier(channel)}`);
      channels.add(channel);
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.listeners].map((l) => l.close()));
    this.listeners.clear();
    await this.pool.end();
  }
}
