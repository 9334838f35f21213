// Group membership and policy inheritance (API-CONTRACT §2.7–2.8), resolved in memory from
// the edge and attachment lists the catalog returns. Nesting is followed recursively; a
// visited set keeps resolution finite even if stored data somehow holds a cycle.

export type PrincipalType = 'user' | 'role' | 'agent' | 'group';

export interface PrincipalRef {
  type: PrincipalType;
  id: string;
}

/** `subject` is a direct member of group `groupId`. */
export interface MembershipEdge {
  groupId: string;
  subjectType: PrincipalType;
  subjectId: string;
}

export interface EffectiveGroup {
  groupId: string;
  /** `direct`: the principal is a member itself; `group`: through a nested group. */
  source: 'direct' | 'group';
  /** For `group`: the member group through which the principal belongs (its name is the API's source_name). */
  viaGroupId: string | null;
}

export interface PolicyAttachment {
  policyId: string;
  principalType: PrincipalType;
  principalId: string;
}

export type EffectivePolicy =
  | { source: 'direct'; policyId: string }
  /** Attached to `groupId`, one of the principal's effective groups (the API's source_name). */
  | { source: 'group'; policyId: string; groupId: string }
  /** An agent's inline policy: its only grant source. */
  | { source: 'inline' };

const keyOf = (type: PrincipalType, id: string): string => `${type}:${id}`;

function groupsBySubject(edges: readonly MembershipEdge[]): Map<string, string[]> {
  const index = new Map<string, string[]>();
  for (const edge of edges) {
    const key = keyOf(edge.subjectType, edge.subjectId);
    const groups = index.get(key);
    if (groups) groups.push(edge.groupId);
    else index.set(key, [edge.groupId]);
  }
  return index;
}

/**
 * Every group the principal belongs to, directly first, then breadth-first through nesting;
 * each group once, reached by its shortest path (ties: the order of `edges`).
 */
export function effectiveGroups(edges: readonly MembershipEdge[], principal: PrincipalRef): EffectiveGroup[] {
  const memberOf = groupsBySubject(edges);
  const seen = new Set<string>(principal.type === 'group' ? [principal.id] : []);
  const result: EffectiveGroup[] = [];
  for (const groupId of memberOf.get(keyOf(principal.type, principal.id)) ?? []) {
    if (seen.has(groupId)) continue;
    seen.add(groupId);
    result.push({ groupId, source: 'direct', viaGroupId: null });
  }
  for (let next = 0; next < result.length; next++) {
    const via = (result[next] as EffectiveGroup).groupId;
    for (const groupId of memberOf.get(keyOf('group', via)) ?? []) {
      if (seen.has(groupId)) continue;
      seen.add(groupId);
      result.push({ groupId, source: 'group', viaGroupId: via });
    }
  }
  return result;
}

/** Adding group `childGroupId` as a member of `parentGroupId` would close a loop of nesting. */
export function wouldCreateCycle(edges: readonly MembershipEdge[], parentGroupId: string, childGroupId: string): boolean {
  if (parentGroupId === childGroupId) return true;
  return effectiveGroups(edges, { type: 'group', id: parentGroupId }).some((g) => g.groupId === childGroupId);
}

export interface EffectivePolicyInput {
  principal: PrincipalRef;
  edges: readonly MembershipEdge[];
  attachments: readonly PolicyAttachment[];
  /** Agents only: whether it has a (non-empty) inline policy. */
  hasInlinePolicy?: boolean;
}

/**
 * Users, roles and groups: direct attachments, then those of each effective group in
 * effectiveGroups() order. Agents: only their inline policy; their attachments and group
 * memberships grant nothing.
 */
export function effectivePolicies(input: EffectivePolicyInput): EffectivePolicy[] {
  const { principal, edges, attachments } = input;
  if (principal.type === 'agent') return input.hasInlinePolicy ? [{ source: 'inline' }] : [];
  const attached = new Map<string, string[]>();
  for (const a of attachments) {
    const key = keyOf(a.principalType, a.principalId);
    const list = attached.get(key);
    if (list) list.push(a.policyId);
    else attached.set(key, [a.policyId]);
  }
  const policiesOf = (type: PrincipalType, id: string): string[] => [...new Set(attached.get(keyOf(type, id)) ?? [])];
  const result: EffectivePolicy[] = policiesOf(principal.type, principal.id).map((policyId) => ({ source: 'direct', policyId }));
  for (const group of effectiveGroups(edges, principal)) {
    for (const policyId of policiesOf('group', group.groupId)) result.push({ source: 'group', policyId, groupId: group.groupId });
  }
  return result;
}

/** The distinct policy ids that authorize a user, role or group (what to load and evaluate). */
export function effectivePolicyIds(input: EffectivePolicyInput): string[] {
  const ids = effectivePolicies(input).flatMap((p) => (p.source === 'inline' ? [] : [p.policyId]));
  return [...new Set(ids)];
}
