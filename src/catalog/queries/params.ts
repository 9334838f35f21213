// Collects positional parameters while a query's text is assembled from parts.
import type { SqlParam } from '../db.js';

export class Params {
  readonly values: SqlParam[] = [];

  /** Adds a value and returns its placeholder ($n). */
  add(value: SqlParam): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}
