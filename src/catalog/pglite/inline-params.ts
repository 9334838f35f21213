// Parameters written into the statement as SQL literals, for PGlite's simple query protocol.
//
// Why: PGlite runs a parameterized query as six calls into PostgreSQL (parse, describe, bind,
// describe, execute, sync), about 240 µs even for `SELECT 1`; the simple protocol takes two,
// about 110 µs. Every catalog round trip on the embedded default pays this, so statements go as
// text with their values inlined. This is only safe because the literals are exact: strings are
// single-quoted with quotes doubled (standard_conforming_strings is on, checked at open, so a
// backslash is an ordinary character), NUL is refused (PostgreSQL text cannot hold it anyway),
// numbers must be finite and are parenthesized, and placeholders are only replaced outside
// quoted strings, quoted identifiers, dollar-quoted bodies and comments. PostgreSQL over `pg`
// keeps real bind parameters.
import type { SqlParam } from '../db.js';

export function inlineParams(sql: string, params: readonly SqlParam[]): string {
  if (params.length === 0) return sql;
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i]!;
    const skipped = skipQuoted(sql, i);
    if (skipped > i) {
      out += sql.slice(i, skipped);
      i = skipped;
      continue;
    }
    if (ch === '$' && /[0-9]/.test(sql[i + 1] ?? '') && !/[\w$]/.test(sql[i - 1] ?? '')) {
      let j = i + 1;
      while (/[0-9]/.test(sql[j] ?? '')) j++;
      const n = Number(sql.slice(i + 1, j));
      if (n < 1 || n > params.length) throw new RangeError(`placeholder $${n} has no parameter (${params.length} given)`);
      out += literal(params[n - 1]!);
      i = j;
      continue;
    }
    out += ch;
    i++;
  }
  return out;
}

/** The index just past a quoted string, quoted identifier, dollar-quoted body or comment at `i`, or `i`. */
function skipQuoted(sql: string, i: number): number {
  const ch = sql[i];
  if (ch === "'" || ch === '"') {
    let j = i + 1;
    for (;;) {
      const end = sql.indexOf(ch, j);
      if (end < 0) throw new SyntaxError('unterminated quote in SQL');
      if (sql[end + 1] === ch) j = end + 2;
      else return end + 1;
    }
  }
  if (ch === '-' && sql[i + 1] === '-') {
    const end = sql.indexOf('\n', i);
    return end < 0 ? sql.length : end + 1;
  }
  if (ch === '/' && sql[i + 1] === '*') {
    const end = sql.indexOf('*/', i + 2);
    if (end < 0) throw new SyntaxError('unterminated comment in SQL');
    return end + 2;
  }
  if (ch === '$') {
    const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i));
    if (tag && !/[\w$]/.test(sql[i - 1] ?? '')) {
      const end = sql.indexOf(tag[0], i + tag[0].length);
      if (end < 0) throw new SyntaxError('unterminated dollar quote in SQL');
      return end + tag[0].length;
    }
  }
  return i;
}

export function literal(value: SqlParam | undefined): string {
  if (value === null || value === undefined) return 'NULL';
  switch (typeof value) {
    case 'number':
      if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
      return `(${value})`;
    case 'boolean':
      return value ? 'TRUE' : 'FALSE';
    case 'string':
      return quote(value);
    case 'object':
      if (value instanceof Date) {
        if (Number.isNaN(value.getTime())) throw new RangeError('invalid Date');
        return quote(value.toISOString());
      }
      if (value instanceof Uint8Array) return `'\\x${Buffer.from(value).toString('hex')}'::bytea`;
      if (Array.isArray(value)) return quote(arrayText(value));
      return quote(JSON.stringify(value));
    default:
      throw new TypeError(`cannot write a ${typeof value} as SQL`);
  }
}

function quote(text: string): string {
  if (text.includes('\0')) throw new RangeError('text may not contain NUL');
  return `'${text.replaceAll("'", "''")}'`;
}

/** PostgreSQL's array text form: every element double-quoted, `"` and `\` escaped. */
function arrayText(items: readonly unknown[]): string {
  const element = (item: unknown): string => {
    if (item === null || item === undefined) return 'NULL';
    if (Array.isArray(item)) return arrayText(item);
    const text = typeof item === 'object' ? JSON.stringify(item) : String(item);
    return `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
  };
  return `{${items.map(element).join(',')}}`;
}
