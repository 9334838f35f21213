import t from 'tap';
import { ACTIONS } from '../../../src/core/policy/actions.js';
import { parsePolicy } from '../../../src/core/policy/parse.js';

const errorsOf = (text: string) => parsePolicy(text).errors;

t.test('the published form: one call per line, no arguments', async (t) => {
  const parsed = parsePolicy('ListRepositories()\nGetRepository()\nGetObject()\n');
  t.same(parsed.errors, []);
  t.same(parsed.statements, [
    { effect: 'allow', action: 'ListRepositories', approval: false, at: { line: 1, column: 1 } },
    { effect: 'allow', action: 'GetRepository', approval: false, at: { line: 2, column: 1 } },
    { effect: 'allow', action: 'GetObject', approval: false, at: { line: 3, column: 1 } },
  ]);
});

t.test('every action of the table and * parse', async (t) => {
  const parsed = parsePolicy([...ACTIONS, '*'].map((a) => `${a}()`).join('\n'));
  t.same(parsed.errors, []);
  t.same(parsed.statements.map((s) => s.action), [...ACTIONS, '*']);
});

t.test('blank lines, comments, CRLF and whitespace anywhere between tokens', async (t) => {
  const text = '# header\r\n\r\n   \t\r\n  GetObject  (  path = "a b/*" , repository = acme/* )  # trailing\rdeny\tPutObject()\n#GetObject()';
  const parsed = parsePolicy(text);
  t.same(parsed.errors, []);
  t.same(parsed.statements, [
    { effect: 'allow', action: 'GetObject', approval: false, at: { line: 4, column: 3 }, path: 'a b/*', repository: 'acme/*' },
    { effect: 'deny', action: 'PutObject', approval: false, at: { line: 5, column: 1 } },
  ]);
});

t.test('an empty or comment-only policy is valid and holds no statement', async (t) => {
  for (const text of ['', '\n\n', '# nothing here\n  # still nothing']) t.same(parsePolicy(text), { statements: [], errors: [] });
});

t.test('several statements on one line, separated by whitespace', async (t) => {
  const text = 'ListRepositories() GetRepository() ListObjects() GetObject() CreateSession() PutObject(approval=true) CommitSession()';
  const parsed = parsePolicy(text);
  t.same(parsed.errors, []);
  t.same(parsed.statements.map((s) => [s.action, s.approval, s.at?.column]), [
    ['ListRepositories', false, 1],
    ['GetRepository', false, 20],
    ['ListObjects', false, 36],
    ['GetObject', false, 50],
    ['CreateSession', false, 62],
    ['PutObject', true, 78],
    ['CommitSession', false, 103],
  ]);
  t.same(errorsOf('GetObject()GetObject()'), [
    { line: 1, column: 12, message: 'expected whitespace or the end of the line after ")", found "GetObject"' },
  ]);
  t.same(errorsOf('GetObject(); GetRepository()'), [
    { line: 1, column: 12, message: 'expected whitespace or the end of the line after ")", found ";"' },
  ]);
});

t.test('arguments: quoted and bare values, escapes, approval', async (t) => {
  const parsed = parsePolicy(
    [
      'PutObject(repository="acme/data", path="raw/*", approval=true)',
      'PutObject(repository=acme/data,path=raw/*,approval=false)',
      'GetObject(path="say \\"hi\\"/back\\\\slash/#not-a-comment")',
      'DeleteObject(approval="true")',
      '*(repository="*")',
    ].join('\n'),
  );
  t.same(parsed.errors, []);
  const [quoted, bare, escaped, quotedBool, star] = parsed.statements;
  t.match(quoted, { action: 'PutObject', repository: 'acme/data', path: 'raw/*', approval: true });
  t.match(bare, { action: 'PutObject', repository: 'acme/data', path: 'raw/*', approval: false });
  t.equal(escaped?.path, 'say "hi"/back\\slash/#not-a-comment');
  t.equal(quotedBool?.approval, true);
  t.match(star, { action: '*', repository: '*' });
  t.notOk('path' in (star ?? {}), 'absent arguments stay absent');
});

t.test('deny statements', async (t) => {
  const parsed = parsePolicy('deny *()\ndeny GetObject(repository="a/b", path="secret/*")');
  t.same(parsed.errors, []);
  t.same(parsed.statements, [
    { effect: 'deny', action: '*', approval: false, at: { line: 1, column: 1 } },
    { effect: 'deny', action: 'GetObject', approval: false, at: { line: 2, column: 1 }, repository: 'a/b', path: 'secret/*' },
  ]);
});

t.test('errors carry the exact line and column of the offending token', async (t) => {
  const cases: [string, number, string][] = [
    ['Foo()', 1, 'unknown action "Foo"'],
    ['  getobject()', 3, 'unknown action "getobject" (did you mean "GetObject"?)'],
    ['GetObjects()', 1, 'unknown action "GetObjects" (did you mean "GetObject"?)'],
    ['Deny GetObject()', 1, 'unknown action "Deny" (did you mean "deny"?)'],
    ['deny Nope()', 6, 'unknown action "Nope"'],
    ['deny', 5, 'expected an action after "deny"'],
    ['deny # why', 6, 'expected an action after "deny"'],
    ['deny ()', 6, 'expected an action name or "*", found "("'],
    ['GetObject', 10, 'expected "(" after GetObject, found end of line'],
    ['GetObject path="x"', 11, 'expected "(" after GetObject, found "path"'],
    ['GetObject(', 11, 'expected an argument or ")", found end of line'],
    ['GetObject(path="x"', 19, 'expected "," or ")", found end of line'],
    ['GetObject(path="x" # comment', 20, 'expected "," or ")", found a comment'],
    ['GetObject(path="x" repository="a/b")', 20, 'expected "," or ")", found "repository"'],
    ['GetObject() )', 13, 'expected an action name or "*", found ")"'],
    ['GetObject(,)', 11, 'expected an argument name, found ","'],
    ['GetObject(path=a,)', 18, 'expected an argument name, found ")"'],
    ['GetObject(foo=1)', 11, 'unknown argument "foo" (expected repository, path or approval)'],
    ['GetObject(Path="x")', 11, 'unknown argument "Path" (expected repository, path or approval)'],
    ['GetObject(path="a", path="b")', 21, 'duplicate argument "path"'],
    ['PutObject(approval=true, repository=a/b, approval=false)', 42, 'duplicate argument "approval"'],
    ['GetObject(path)', 15, 'expected "=" after path, found ")"'],
    ['GetObject(path=)', 16, 'expected a value for path, found ")"'],
    ['GetObject(path=,)', 16, 'expected a value for path, found ","'],
    ['GetObject(path="")', 16, 'path must not be empty'],
    ['GetObject(path="abc)', 16, 'unterminated string: missing closing "'],
    ['GetObject(path="a\\q")', 18, 'unknown escape: only \\" and \\\\ are allowed in a quoted value'],
    ['GetObject(path=a"b")', 17, 'expected "," or ")", found "\\""'],
    ['GetRepository(path="x")', 15, 'path is only allowed on object actions (ListObjects, GetObject, PutObject, DeleteObject), not on GetRepository'],
    ['*(path="x/*")', 3, 'path is only allowed on object actions (ListObjects, GetObject, PutObject, DeleteObject), not on *'],
    ['ManagePolicies(repository="a/b")', 16, 'ManagePolicies applies to the organization and takes no repository'],
    ['deny PutObject(approval=true)', 16, 'approval applies to allow statements only, not to deny'],
    ['PutObject(approval=yes)', 20, 'approval must be true or false, not "yes"'],
    ['PutObject(approval=True)', 20, 'approval must be true or false, not "True"'],
    ['GetObject(repository=acme)', 22, 'repository must look like "org/repo" (either part may use *), not "acme"'],
    ['GetObject(repository="a/b/c")', 22, 'repository must look like "org/repo" (either part may use *), not "a/b/c"'],
    ['GetObject(repository="/b")', 22, 'repository must look like "org/repo" (either part may use *), not "/b"'],
    ['GetObject(repository="a b/c")', 22, 'repository must look like "org/repo" (either part may use *), not "a b/c"'],
  ];
  for (const [text, column, message] of cases) t.same(errorsOf(text), [{ line: 1, column, message }], text);
});

t.test('one error per broken line, every broken line reported, no statement kept', async (t) => {
  const parsed = parsePolicy('GetObject()\nFoo() Bar()\n\n  PutObject(approval=maybe)\nListObjects()\nGetObject(');
  t.same(parsed.errors, [
    { line: 2, column: 1, message: 'unknown action "Foo"' },
    { line: 4, column: 22, message: 'approval must be true or false, not "maybe"' },
    { line: 6, column: 11, message: 'expected an argument or ")", found end of line' },
  ]);
  t.same(parsed.statements, [], 'a policy with errors grants nothing, even from its valid lines');
});

t.test('a statement may not span lines', async (t) => {
  t.same(errorsOf('GetObject(\npath="x")'), [
    { line: 1, column: 11, message: 'expected an argument or ")", found end of line' },
    { line: 2, column: 1, message: 'unknown action "path"' },
  ]);
});

t.test('columns count UTF-16 code units, tabs count one', async (t) => {
  t.same(errorsOf('\tGetObject(path="é/😀", x=1)'), [{ line: 1, column: 25, message: 'unknown argument "x" (expected repository, path or approval)' }]);
});
