// PostgreSQL through a `pg` Pool: production, many gateway processes on one database.
// The only file in Trove that imports `pg`.
import pg from 'pg';
import { INT8_OID, parseInt8, type Db, type Queryable, type QueryResult, type SqlParam } from '../db.js';

const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8_OID) return parseInt8;
    return pg.types.getTypeParser(oid, format);
  },
};

class PgQueryable implements Queryable {
  constructor(private readonly client: pg.Pool | pg.PoolClient) {}

  async query<Row>(sql: string, params: readonly SqlParam[] = []): Promise<QueryResult<Row>> {
    const result = await this.client.query(sql, params as unknown[]);
    return { rows: result.rows as Row[], rowCount: result.rowCount ?? 0 };
  }

  async exec(script: string): Promise<void> {
    await this.client.query(script);
  }
}

export class PgDb extends PgQueryable implements Db {
  readonly kind = 'postgres' as const;

  constructor(private readonly pool: pg.Pool) {
    super(pool);
  }

  static open(connectionString: string, maxConnections = 20): PgDb {
    const pool = new pg.Pool({ connectionString, max: maxConnections, types });
    // An idle client that loses its connection must not crash the process.
    pool.on('error', () => {});
    return new PgDb(pool);
  }

  async withTx<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await fn(new PgQueryable(client));
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
