// The policy DSL (API-CONTRACT §3.5): one statement or more per line, each
// `[deny] Action(key=value, ...)`, with blank lines and `#` comments. Errors point at the
// offending token (1-based line and column); one error per line, the rest of that line is
// skipped, so a validation lists every broken line at once.
import { isAction, isObjectAction, isOrganizationAction, OBJECT_ACTIONS, suggestAction, type ActionPattern } from './actions.js';
import { isMatchAll } from './glob.js';
import { LineScanner, PolicySyntaxFailure } from './line-scanner.js';
import type { PolicyError, Statement } from './statement.js';

export interface ParsedPolicy {
  /** Empty whenever `errors` is not: a policy with a broken line grants nothing. */
  readonly statements: readonly Statement[];
  readonly errors: readonly PolicyError[];
}

const ARGUMENTS = ['repository', 'path', 'approval'] as const;
type ArgumentName = (typeof ARGUMENTS)[number];

export function parsePolicy(text: string): ParsedPolicy {
  const statements: Statement[] = [];
  const errors: PolicyError[] = [];
  text.split(/\r\n|\r|\n/).forEach((lineText, index) => {
    const line = index + 1;
    try {
      parseLine(new LineScanner(lineText), line, statements);
    } catch (error) {
      if (!(error instanceof PolicySyntaxFailure)) throw error;
      errors.push({ line, column: error.column, message: error.message });
    }
  });
  return { statements: errors.length > 0 ? [] : statements, errors };
}

function parseLine(scanner: LineScanner, line: number, into: Statement[]): void {
  scanner.skipSpace();
  while (!scanner.atEnd()) {
    into.push(parseStatement(scanner, line));
    const next = scanner.peek();
    if (next !== '' && next !== '#' && !/\s/.test(next)) {
      scanner.fail(`expected whitespace or the end of the line after ")", found ${scanner.describeHere()}`);
    }
    scanner.skipSpace();
  }
}

function parseStatement(scanner: LineScanner, line: number): Statement {
  const at = { line, column: scanner.column };
  let word = readActionWord(scanner);
  let effect: Statement['effect'] = 'allow';
  if (word === 'deny') {
    effect = 'deny';
    scanner.skipSpace();
    if (scanner.atEnd()) scanner.fail('expected an action after "deny"');
    word = readActionWord(scanner);
  }
  const action = checkAction(word, scanner.column - word.length);
  const statement: Statement = { effect, action, approval: false, at };
  scanner.skipSpace();
  scanner.expect('(', `after ${action}`);
  parseArguments(scanner, statement);
  return statement;
}

function readActionWord(scanner: LineScanner): string {
  const word = scanner.readWord();
  if (word === '') scanner.fail(`expected an action name or "*", found ${scanner.describeHere()}`);
  return word;
}

function checkAction(word: string, column: number): ActionPattern {
  if (word === '*' || isAction(word)) return word;
  const hint = word.toLowerCase() === 'deny' ? 'deny' : suggestAction(word);
  const suffix = hint === undefined ? '' : ` (did you mean "${hint}"?)`;
  throw new PolicySyntaxFailure(column, `unknown action "${word}"${suffix}`);
}

function parseArguments(scanner: LineScanner, statement: Statement): void {
  scanner.skipSpace();
  if (scanner.peek() === ')') {
    scanner.position++;
    return;
  }
  if (scanner.atEnd()) scanner.fail(`expected an argument or ")", found ${scanner.describeHere()}`);
  const seen = new Set<ArgumentName>();
  for (;;) {
    parseArgument(scanner, statement, seen);
    scanner.skipSpace();
    if (scanner.peek() === ')') {
      scanner.position++;
      return;
    }
    if (scanner.peek() !== ',') scanner.fail(`expected "," or ")", found ${scanner.describeHere()}`);
    scanner.position++;
    scanner.skipSpace();
  }
}

function parseArgument(scanner: LineScanner, statement: Statement, seen: Set<ArgumentName>): void {
  const keyColumn = scanner.column;
  const key = scanner.readWord();
  if (key === '') scanner.fail(`expected an argument name, found ${scanner.describeHere()}`);
  if (!isArgumentName(key)) scanner.fail(`unknown argument "${key}" (expected repository, path or approval)`, keyColumn);
  if (seen.has(key)) scanner.fail(`duplicate argument "${key}"`, keyColumn);
  seen.add(key);
  checkApplicable(key, statement, keyColumn);
  scanner.skipSpace();
  scanner.expect('=', `after ${key}`);
  scanner.skipSpace();
  const valueColumn = scanner.column;
  const value = scanner.readValue();
  if (value === undefined) scanner.fail(`expected a value for ${key}, found ${scanner.describeHere()}`);
  setArgument(statement, key, value, (message) => scanner.fail(message, valueColumn));
}

function isArgumentName(word: string): word is ArgumentName {
  return (ARGUMENTS as readonly string[]).includes(word);
}

function checkApplicable(key: ArgumentName, statement: Statement, column: number): void {
  const { action } = statement;
  if (key === 'path' && !isObjectAction(action)) {
    throw new PolicySyntaxFailure(column, `path is only allowed on object actions (${OBJECT_ACTIONS.join(', ')}), not on ${action}`);
  }
  if (key === 'repository' && isOrganizationAction(action)) {
    throw new PolicySyntaxFailure(column, `${action} applies to the organization and takes no repository`);
  }
  if (key === 'approval' && statement.effect === 'deny') {
    throw new PolicySyntaxFailure(column, 'approval applies to allow statements only, not to deny');
  }
}

function setArgument(statement: Statement, key: ArgumentName, value: string, fail: (message: string) => never): void {
  if (key === 'approval') {
    if (value !== 'true' && value !== 'false') fail(`approval must be true or false, not "${value}"`);
    statement.approval = value === 'true';
    return;
  }
  if (value === '') fail(`${key} must not be empty`);
  if (key === 'path') {
    statement.path = value;
    return;
  }
  if (!isMatchAll(value) && !/^[^/\s]+\/[^/\s]+$/.test(value)) {
    fail(`repository must look like "org/repo" (either part may use *), not "${value}"`);
  }
  statement.repository = value;
}
