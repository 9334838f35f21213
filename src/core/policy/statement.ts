// A parsed policy statement and its canonical text (what `parsePolicy` reads back unchanged).
import type { ActionPattern } from './actions.js';

export interface SourcePosition {
  /** 1-based line of the statement's first token (`deny` or the action). */
  line: number;
  /** 1-based column, in UTF-16 code units as JavaScript and most editors count them. */
  column: number;
}

export interface Statement {
  effect: 'allow' | 'deny';
  action: ActionPattern;
  /** `org/repo` glob as written, quotes removed; absent = every repository of the org. */
  repository?: string;
  /** Object-path glob; absent = every path. Only on object actions. */
  path?: string;
  /** Using this grant taints the session: its commit waits for a person's approval. */
  approval: boolean;
  /** Where the statement was written; absent on statements built in code. */
  at?: SourcePosition;
}

/** A diagnostic of `parsePolicy`: the same shape as the API's ValidationResult errors. */
export interface PolicyError {
  line: number;
  column: number;
  message: string;
}

export function quoteValue(value: string): string {
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** The statement in canonical form: `deny PutObject(repository="a/b", path="x/*", approval=true)`. */
export function formatStatement(statement: Statement): string {
  const args: string[] = [];
  if (statement.repository !== undefined) args.push(`repository=${quoteValue(statement.repository)}`);
  if (statement.path !== undefined) args.push(`path=${quoteValue(statement.path)}`);
  if (statement.approval) args.push('approval=true');
  const effect = statement.effect === 'deny' ? 'deny ' : '';
  return `${effect}${statement.action}(${args.join(', ')})`;
}

/** A whole policy in canonical form, one statement per line. */
export function formatPolicy(statements: readonly Statement[]): string {
  return statements.map((s) => `${formatStatement(s)}\n`).join('');
}
