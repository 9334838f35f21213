import t from 'tap';
import { loadPolicy } from '../../../src/core/policy/load.js';
import { parsePolicy } from '../../../src/core/policy/parse.js';
import { formatPolicy, formatStatement } from '../../../src/core/policy/statement.js';

t.test('canonical text of a statement', async (t) => {
  t.equal(formatStatement({ effect: 'allow', action: 'GetObject', approval: false }), 'GetObject()');
  t.equal(
    formatStatement({ effect: 'allow', action: 'PutObject', repository: 'a/b', path: 'say "hi"\\x/*', approval: true }),
    'PutObject(repository="a/b", path="say \\"hi\\"\\\\x/*", approval=true)',
  );
  t.equal(formatStatement({ effect: 'deny', action: '*', repository: '*', approval: false }), 'deny *(repository="*")');
  const text = 'GetObject(path=raw/*)   deny  PutObject( repository = acme/x )\n# c\nPutObject(approval=true)';
  t.equal(formatPolicy(parsePolicy(text).statements), 'GetObject(path="raw/*")\ndeny PutObject(repository="acme/x")\nPutObject(approval=true)\n');
});

t.test('loadPolicy memoizes by text and freezes what it returns', async (t) => {
  const bad = loadPolicy('Nope()');
  t.same(bad.errors, [{ line: 1, column: 1, message: 'unknown action "Nope"' }]);
  t.ok(Object.isFrozen(bad.errors) && Object.isFrozen(bad.errors[0]));
  const good = loadPolicy('GetObject(path="a/*")');
  t.equal(loadPolicy('GetObject(path="a/*")'), good);
  t.not(loadPolicy('GetObject(path="a/*") '), good, 'a different text is parsed on its own');
  t.throws(() => {
    (good.statements as unknown as unknown[]).push({});
  }, TypeError);
  for (let i = 0; i < 1500; i++) loadPolicy(`GetObject(path="${i}")`);
  t.not(loadPolicy('GetObject(path="a/*")'), good, 'least recently used entries are evicted beyond 1000');
  t.same(loadPolicy('GetObject(path="a/*")').statements, good.statements);
});
