// The messages between PgliteDb (the server's thread) and the catalog's thread (pglite-thread.ts).
import type { SqlParam } from '../db.js';

export type Request =
  /**
   * `tx` names the transaction a statement belongs to; `begin` and `end` mark its BEGIN and its
   * COMMIT or ROLLBACK. While a transaction is open, statements of no or another transaction wait.
   */
  | { id: number; op: 'query'; sql: string; params: readonly SqlParam[]; tx?: number; begin?: true; end?: true }
  | { id: number; op: 'listen' | 'unlisten'; channel: string }
  | { id: number; op: 'dump' | 'close' };

/** A request's result: rows, or the dump. */
export interface Answer {
  id: number;
  rows: unknown[];
  rowCount: number;
  /** COMMIT of a transaction that had failed: PostgreSQL rolled it back. */
  rolledBack?: boolean;
  dump?: Uint8Array;
  error?: undefined;
}

export type Reply =
  | Answer
  | { id: number; error: ErrorFields }
  | { notify: string; payload: string }
  | { ready: true }
  | { fatal: ErrorFields };

/** What crosses the thread boundary of an error: its message and PostgreSQL's fields. */
export interface ErrorFields {
  message: string;
  [field: string]: unknown;
}

export function errorFields(err: unknown): ErrorFields {
  if (!(err instanceof Error)) return { message: String(err) };
  const fields: ErrorFields = { message: err.message };
  for (const [key, value] of Object.entries(err)) {
    if (value === undefined || typeof value === 'function' || (typeof value === 'object' && value !== null)) continue;
    fields[key] = value;
  }
  return fields;
}

/** The error again, on this side: the SQLSTATE in `code` as pg and PGlite give it. */
export function toError(fields: ErrorFields): Error {
  return Object.assign(new Error(fields.message), fields);
}
