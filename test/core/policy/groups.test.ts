import t from 'tap';
import {
  effectiveGroups,
  effectivePolicies,
  effectivePolicyIds,
  wouldCreateCycle,
  type MembershipEdge,
  type PolicyAttachment,
  type PrincipalType,
} from '../../../src/core/policy/groups.js';

const member = (groupId: string, subjectType: PrincipalType, subjectId: string): MembershipEdge => ({ groupId, subjectType, subjectId });
const attach = (policyId: string, principalType: PrincipalType, principalId: string): PolicyAttachment => ({ policyId, principalType, principalId });

// alice ∈ eng ∈ staff ∈ everyone; alice ∈ oncall ∈ staff; bot (role) ∈ eng; agent ∈ eng.
const edges: MembershipEdge[] = [
  member('eng', 'user', 'alice'),
  member('oncall', 'user', 'alice'),
  member('staff', 'group', 'eng'),
  member('staff', 'group', 'oncall'),
  member('everyone', 'group', 'staff'),
  member('eng', 'role', 'bot'),
  member('eng', 'agent', 'agent-1'),
];

t.test('effective groups: direct first, then nested, each once with the group it came through', async (t) => {
  t.same(effectiveGroups(edges, { type: 'user', id: 'alice' }), [
    { groupId: 'eng', source: 'direct', viaGroupId: null },
    { groupId: 'oncall', source: 'direct', viaGroupId: null },
    { groupId: 'staff', source: 'group', viaGroupId: 'eng' },
    { groupId: 'everyone', source: 'group', viaGroupId: 'staff' },
  ]);
  t.same(effectiveGroups(edges, { type: 'role', id: 'bot' }).map((g) => g.groupId), ['eng', 'staff', 'everyone']);
  t.same(effectiveGroups(edges, { type: 'group', id: 'eng' }), [
    { groupId: 'staff', source: 'direct', viaGroupId: null },
    { groupId: 'everyone', source: 'group', viaGroupId: 'staff' },
  ]);
  t.same(effectiveGroups(edges, { type: 'user', id: 'nobody' }), []);
  t.same(effectiveGroups(edges, { type: 'role', id: 'alice' }), [], 'the subject type is part of the identity');
});

t.test('a group that is both direct and nested is reported as direct', async (t) => {
  const withDirect = [...edges, member('everyone', 'user', 'alice')];
  t.same(effectiveGroups(withDirect, { type: 'user', id: 'alice' }).find((g) => g.groupId === 'everyone'), { groupId: 'everyone', source: 'direct', viaGroupId: null });
});

t.test('cycles: refused when adding, and harmless if already stored', async (t) => {
  t.equal(wouldCreateCycle(edges, 'eng', 'eng'), true, 'a group inside itself');
  t.equal(wouldCreateCycle(edges, 'eng', 'staff'), true, 'staff already contains eng');
  t.equal(wouldCreateCycle(edges, 'eng', 'everyone'), true, 'transitively');
  t.equal(wouldCreateCycle(edges, 'everyone', 'eng'), false, 'already nested that way: no loop');
  t.equal(wouldCreateCycle(edges, 'oncall', 'eng'), false, 'siblings may nest');
  t.equal(wouldCreateCycle([], 'a', 'b'), false);
  const cyclic = [member('b', 'group', 'a'), member('c', 'group', 'b'), member('a', 'group', 'c'), member('a', 'user', 'u')];
  t.same(effectiveGroups(cyclic, { type: 'user', id: 'u' }).map((g) => g.groupId), ['a', 'b', 'c']);
  t.same(effectiveGroups(cyclic, { type: 'group', id: 'a' }).map((g) => g.groupId), ['b', 'c'], 'a group is not its own member');
});

t.test('effective policies: direct, then through groups with the group holding the attachment', async (t) => {
  const attachments = [
    attach('p-read', 'group', 'everyone'),
    attach('p-write', 'group', 'eng'),
    attach('p-own', 'user', 'alice'),
    attach('p-read', 'user', 'alice'),
    attach('p-other', 'user', 'bob'),
    attach('p-agent', 'agent', 'agent-1'),
  ];
  t.same(effectivePolicies({ principal: { type: 'user', id: 'alice' }, edges, attachments }), [
    { source: 'direct', policyId: 'p-own' },
    { source: 'direct', policyId: 'p-read' },
    { source: 'group', policyId: 'p-write', groupId: 'eng' },
    { source: 'group', policyId: 'p-read', groupId: 'everyone' },
  ]);
  t.same(effectivePolicyIds({ principal: { type: 'user', id: 'alice' }, edges, attachments }), ['p-own', 'p-read', 'p-write']);
  t.same(effectivePolicies({ principal: { type: 'role', id: 'bot' }, edges, attachments }), [
    { source: 'group', policyId: 'p-write', groupId: 'eng' },
    { source: 'group', policyId: 'p-read', groupId: 'everyone' },
  ]);
  t.same(effectivePolicies({ principal: { type: 'group', id: 'staff' }, edges, attachments }), [{ source: 'group', policyId: 'p-read', groupId: 'everyone' }]);
});

t.test('agents: only the inline policy counts, not attachments nor groups', async (t) => {
  const attachments = [attach('p-agent', 'agent', 'agent-1'), attach('p-write', 'group', 'eng')];
  const principal = { type: 'agent' as const, id: 'agent-1' };
  t.same(effectivePolicies({ principal, edges, attachments, hasInlinePolicy: true }), [{ source: 'inline' }]);
  t.same(effectivePolicies({ principal, edges, attachments, hasInlinePolicy: false }), []);
  t.same(effectivePolicies({ principal, edges, attachments }), []);
  t.same(effectivePolicyIds({ principal, edges, attachments, hasInlinePolicy: true }), []);
  t.same(effectiveGroups(edges, principal).map((g) => g.groupId), ['eng', 'staff', 'everyone'], 'its groups are still listed');
});
