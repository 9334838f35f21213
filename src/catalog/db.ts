// The one seam between Trove and its SQL engine. Two implementations (pg/, pglite/)
// run the same SQL; everything above this file talks to `Db` and `Queryable` only.

export type SqlParam = string | number | boolean | null | Date | object | readonly unknown[];

export interface QueryResult<Row> {
  rows: Row[];
  rowCount: number;
}

/** Something that runs SQL: the database itself, or one transaction on one connection. */
export interface Queryable {
  query<Row = Record<string, unknown>>(sql: string, params?: readonly SqlParam[]): Promise<QueryResult<Row>>;
  /** Runs a multi-statement script without parameters (migrations). */
  exec(script: string): Promise<void>;
}

/** One transaction on one connection: what `withTx` hands its function. */
export interface Transaction extends Queryable {
  /**
   * Runs the transaction's last statement with COMMIT sent right behind it, so that both take
   * one round trip where the engine allows it; resolves with the statement's result. If the
   * statement fails, the COMMIT rolls back. Nothing may run on the transaction after it, and
   * nothing that can fail should follow it in withTx's function: the COMMIT is already sent.
   */
  queryAndCommit<Row = Record<string, unknown>>(sql: string, params?: readonly SqlParam[]): Promise<QueryResult<Row>>;
}

/** What a statement sent after `queryAndCommit` is refused with, on every implementation. */
export function transactionEnded(): Promise<never> {
  return Promise.reject(new Error('the transaction has already been sent its COMMIT'));
}

/**
 * What a listener hears: a NOTIFY on its channel (from any process), 'ready' once it listens
 * (again), 'lost' when notifications may be missed until the next 'ready'.
 */
export type CatalogEvent = { kind: 'notify'; payload: string } | { kind: 'ready' } | { kind: 'lost' };

export interface Db extends Queryable {
  readonly kind: 'postgres' | 'pglite';
  /**
   * Calls fn with this catalog's NOTIFYs on `channel` (payloads are sent as `<schema>:<rest>`;
   * fn gets `<rest>` of those from this catalog's schema) and the state of listening; returns
   * the unsubscribe.
   */
  listen(channel: string, fn: (event: CatalogEvent) => void): Promise<() => Promise<void>>;
  /**
   * Runs fn inside one transaction on one connection: committed when fn resolves (or by its
   * `queryAndCommit`), rolled back when it throws; resolves once committed. Statements may be
   * sent before the answer to the one before them (BEGIN's included), never outside the
   * transaction. Never BEGIN through `query`.
   */
  withTx<T>(fn: (tx: Transaction) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** int8 comes back as a string from pg and may be a BigInt from PGlite: one parser for both. */
export function parseInt8(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`int8 value ${value} exceeds 2^53`);
  return n;
}

export const INT8_OID = 20;

/** The part of a notification payload after `<schema>:`, or null when it names another schema. */
export function payloadFor(schema: string, payload: string): string | null {
  return payload.startsWith(`${schema}:`) ? payload.slice(schema.length + 1) : null;
}
