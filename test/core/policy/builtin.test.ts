import t from 'tap';
import { ACTIONS, type Action } from '../../../src/core/policy/actions.js';
import { BUILTIN_POLICIES, builtinPolicy } from '../../../src/core/policy/builtin.js';
import { authorize } from '../../../src/core/policy/evaluate.js';
import { parsePolicy } from '../../../src/core/policy/parse.js';

function allowedActions(name: string): Action[] {
  const builtin = builtinPolicy(name);
  if (!builtin) throw new Error(`no built-in ${name}`);
  const parsed = parsePolicy(builtin.text);
  return ACTIONS.filter((action) => authorize({ kind: 'principal', policies: [parsed.statements] }, { action, org: 'o', repository: 'r', path: 'p' }).allowed);
}

t.test('every built-in parses cleanly and has a unique name', async (t) => {
  for (const p of BUILTIN_POLICIES) t.same(parsePolicy(p.text).errors, [], p.name);
  t.equal(new Set(BUILTIN_POLICIES.map((p) => p.name)).size, BUILTIN_POLICIES.length);
  t.ok(Object.isFrozen(BUILTIN_POLICIES) && Object.isFrozen(BUILTIN_POLICIES[0]));
  t.equal(builtinPolicy('Nope'), undefined);
});

t.test('what each built-in grants', async (t) => {
  const read = ['ListRepositories', 'GetRepository', 'ListObjects', 'GetObject'];
  t.same(allowedActions('Admin'), ACTIONS);
  t.same(allowedActions('ReadOnly'), read);
  t.same(allowedActions('Writer'), [...read.slice(0, 2), 'ListObjects', 'GetObject', 'CreateSession', 'PutObject', 'DeleteObject', 'CommitSession', 'RevertCommit']);
  t.same(allowedActions('Approver'), [...read, 'ApproveSessionChanges']);
});
