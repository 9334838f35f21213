import t from 'tap';
import { authorize, type AuthorizationRequest, type Grants } from '../../../src/core/policy/evaluate.js';
import { loadPolicy } from '../../../src/core/policy/load.js';
import { parsePolicy } from '../../../src/core/policy/parse.js';
import type { Statement } from '../../../src/core/policy/statement.js';

function policy(text: string): readonly Statement[] {
  const parsed = parsePolicy(text);
  if (parsed.errors.length > 0) throw new Error(JSON.stringify(parsed.errors));
  return parsed.statements;
}

const principal = (...texts: string[]): Grants => ({ kind: 'principal', policies: texts.map(policy) });
const agent = (inline: string | null, ...creator: string[]): Grants => ({
  kind: 'agent',
  inline: inline === null ? null : policy(inline),
  creatorPolicies: creator.map(policy),
});

const get = (repository = 'data', path = 'x'): AuthorizationRequest => ({ action: 'GetObject', org: 'acme', repository, path });
const put = (repository = 'data', path = 'x'): AuthorizationRequest => ({ action: 'PutObject', org: 'acme', repository, path });

t.test('no statement means no permission', async (t) => {
  const decision = authorize(principal(), get());
  t.same(decision, { allowed: false, requiresApproval: false, reason: 'no statement allows GetObject on acme/data path "x"' });
  t.equal(authorize(principal('ListObjects()'), get()).allowed, false, 'another action grants nothing');
});

t.test('an allow grants its action, * grants every action', async (t) => {
  const decision = authorize(principal('GetObject()'), get());
  t.equal(decision.allowed, true);
  t.equal(decision.requiresApproval, false);
  t.equal(decision.reason, 'GetObject() (line 1) allows GetObject on acme/data path "x"');
  t.match(decision.statement, { action: 'GetObject', effect: 'allow' });
  t.equal(authorize(principal('*()'), put()).allowed, true);
  t.equal(authorize(principal('*()'), { action: 'AdminOrganization', org: 'acme' }).allowed, true);
});

t.test('deny wins over allow, whatever the order and the policy it is in', async (t) => {
  for (const grants of [
    principal('GetObject()\ndeny GetObject()'),
    principal('deny GetObject()\nGetObject()'),
    principal('*()', 'deny GetObject(repository="acme/data")'),
    principal('deny *()', 'GetObject()'),
  ]) {
    const decision = authorize(grants, get());
    t.equal(decision.allowed, false);
    t.match(decision.reason, /denies GetObject on acme\/data path "x"$/);
    t.equal(decision.statement?.effect, 'deny');
  }
  const narrow = principal('*()', 'deny GetObject(path="secret/*")');
  t.equal(authorize(narrow, get('data', 'secret/key')).allowed, false);
  t.equal(authorize(narrow, get('data', 'public/key')).allowed, true, 'a deny only covers what it matches');
  t.equal(authorize(narrow, { action: 'GetObject', org: 'acme', repository: 'data' }).allowed, true, 'a path deny ignores requests naming no path');
});

t.test('repository globs match org/repo; absent means every repository of the org', async (t) => {
  const grants = principal('GetObject(repository="acme/team-*")');
  t.equal(authorize(grants, get('team-a')).allowed, true);
  t.equal(authorize(grants, get('team-')).allowed, true);
  t.equal(authorize(grants, get('other')).allowed, false);
  t.equal(authorize(grants, { ...get('team-a'), org: 'acme2' }).allowed, false, 'the org is part of the match');
  t.equal(authorize(principal('GetObject(repository="*/data")'), { ...get(), org: 'anyorg' }).allowed, true);
  t.equal(authorize(principal('GetObject()'), { ...get('whatever'), org: 'other' }).allowed, true);
});

t.test('special characters in names are literal', async (t) => {
  const grants = principal('GetObject(repository="acme/a.b", path="f+(1)?.csv")');
  t.equal(authorize(grants, get('a.b', 'f+(1)?.csv')).allowed, true);
  t.equal(authorize(grants, get('aXb', 'f+(1)?.csv')).allowed, false);
  t.equal(authorize(grants, get('a.b', 'ff(1).csv')).allowed, false);
  t.equal(authorize(principal('GetObject(path="[ab]/*")'), get('data', 'a/x')).allowed, false);
  t.equal(authorize(principal('GetObject(path="[ab]/*")'), get('data', '[ab]/x')).allowed, true);
});

t.test('path globs: * any characters, no * matches exactly, absent path in a request', async (t) => {
  const grants = principal('GetObject(path="raw/*")\nPutObject(path="exact.txt")');
  t.equal(authorize(grants, get('data', 'raw/2024/01/x.parquet')).allowed, true);
  t.equal(authorize(grants, get('data', 'raw/')).allowed, true);
  t.equal(authorize(grants, get('data', 'rawfile')).allowed, false);
  t.equal(authorize(grants, put('data', 'exact.txt')).allowed, true);
  t.equal(authorize(grants, put('data', 'exact.txt.bak')).allowed, false);
  t.equal(authorize(grants, put('data', 'dir/exact.txt')).allowed, false);
  t.equal(authorize(grants, { action: 'GetObject', org: 'acme', repository: 'data' }).allowed, false, 'a path-restricted allow never grants a pathless request');
});

t.test('organization-level requests match only statements without a repository (or repository="*")', async (t) => {
  const org: AuthorizationRequest = { action: 'ListRepositories', org: 'acme' };
  t.equal(authorize(principal('ListRepositories()'), org).allowed, true);
  t.equal(authorize(principal('ListRepositories(repository="*")'), org).allowed, true);
  t.equal(authorize(principal('ListRepositories(repository="acme/*")'), org).allowed, false);
  t.equal(authorize(principal('ListRepositories(repository="*/*")'), org).allowed, false);
  t.equal(authorize(principal('*(repository="acme/*")'), { action: 'ManagePolicies', org: 'acme' }).allowed, false);
  t.equal(authorize(principal('ManagePolicies()'), { action: 'ManagePolicies', org: 'acme' }).reason, 'ManagePolicies() (line 1) allows ManagePolicies on organization acme');
  t.equal(authorize(principal('*()', 'deny *(repository="acme/*")'), org).allowed, true, 'a repository-scoped deny does not touch the organization');
});

t.test('approval=true on the granting statement taints; a grant without approval wins', async (t) => {
  const tainted = authorize(principal('PutObject(approval=true)'), put());
  t.same([tainted.allowed, tainted.requiresApproval], [true, true]);
  t.match(tainted.reason, /\(approval required\)$/);
  const mixed = authorize(principal('PutObject(approval=true)', 'PutObject(repository="acme/data")'), put());
  t.same([mixed.allowed, mixed.requiresApproval], [true, false], 'the most permissive grant is used');
  t.equal(mixed.statement?.repository, 'acme/data');
  const notMatching = authorize(principal('PutObject(approval=true)', 'PutObject(repository="acme/other")'), put());
  t.same([notMatching.allowed, notMatching.requiresApproval], [true, true], 'a grant that does not match does not lift approval');
  const denied = authorize(principal('PutObject(approval=true)\ndeny PutObject()'), put());
  t.same([denied.allowed, denied.requiresApproval], [false, false]);
  t.equal(authorize(principal('PutObject(approval=false)'), put()).requiresApproval, false);
});

t.test('agents: inline ∩ creator, never more than the creator', async (t) => {
  const scenario = 'ListRepositories() GetRepository() ListObjects() GetObject() CreateSession() PutObject(approval=true) CommitSession()';
  const both = authorize(agent(scenario, '*()'), put());
  t.same([both.allowed, both.requiresApproval], [true, true]);
  t.match(both.reason, /within its creator's permissions$/);
  t.equal(authorize(agent(scenario, '*()'), { action: 'DeleteObject', org: 'acme', repository: 'data', path: 'x' }).allowed, false, 'not in the inline policy');

  const exceeding = authorize(agent('*()', 'GetObject()'), put());
  t.equal(exceeding.allowed, false, 'the inline policy cannot exceed the creator');
  t.equal(exceeding.reason, 'the agent\'s creator: no statement allows PutObject on acme/data path "x"');
  t.equal(authorize(agent('*()', 'GetObject()'), get()).allowed, true);
  t.equal(authorize(agent('GetObject()'), get()).allowed, false, 'a creator with no policies grants nothing');
  t.equal(authorize(agent('GetObject()', '*()', 'deny GetObject(path="secret/*")'), get('data', 'secret/a')).allowed, false, "the creator's deny applies");
  const ownDeny = authorize(agent('*()\ndeny GetObject(repository="acme/data")', '*()'), get());
  t.equal(ownDeny.allowed, false);
  t.match(ownDeny.reason, /^agent inline policy: deny GetObject\(repository="acme\/data"\) \(line 2\) denies/);
});

t.test('agents: no inline policy (or an empty one) can do nothing', async (t) => {
  for (const grants of [agent(null, '*()'), agent('', '*()'), agent('# only a comment', '*()')]) {
    const decision = authorize(grants, get());
    t.equal(decision.allowed, false);
    t.equal(decision.reason, 'the agent has no inline policy, so it may not GetObject on acme/data path "x"');
  }
});

t.test('agents: approval from either side taints', async (t) => {
  t.equal(authorize(agent('PutObject()', 'PutObject(approval=true)'), put()).requiresApproval, true, "the creator's approval mark carries over");
  t.equal(authorize(agent('PutObject(approval=true)', 'PutObject()'), put()).requiresApproval, true);
  t.equal(authorize(agent('PutObject()', 'PutObject()'), put()).requiresApproval, false);
});

t.test('cached policies evaluate like fresh ones and reuse their compiled globs', async (t) => {
  const text = 'GetObject(repository="acme/d*", path="x*")';
  const first = loadPolicy(text);
  t.equal(loadPolicy(text), first, 'same text, same frozen result');
  t.ok(Object.isFrozen(first.statements) && Object.isFrozen(first.statements[0]));
  const grants: Grants = { kind: 'principal', policies: [first.statements] };
  const fresh: Grants = { kind: 'principal', policies: [parsePolicy(text).statements] };
  for (const path of ['x', 'x1', 'xyz/deep', 'y', 'ax', '']) {
    t.equal(authorize(grants, get('data', path)).allowed, authorize(fresh, get('data', path)).allowed, `the same decision on "${path}"`);
  }
  t.equal(authorize(grants, get('data', 'x1')).allowed, true);
  t.equal(authorize(grants, get('data', 'y')).allowed, false);
});
