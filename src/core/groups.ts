// Groups for the REST door: nested membership (a cycle is refused), and the effective groups
// and policies of a principal. Managing groups needs ManageGroups.
import { groups, policies, principals, type Organization } from '../catalog/index.js';
import type { Principal } from '../catalog/queries/principals.js';
import { InvalidError, NotFoundError } from '../errors.js';
import { authorize } from './authorize.js';
import { visibleOrganization, type Caller } from './caller.js';
import { effectiveGroups, effectivePolicies, wouldCreateCycle, type EffectiveGroup, type EffectivePolicy } from './policy/index.js';
import type { Services } from './services.js';

export async function groupOrganization(services: Services, caller: Caller, orgName: string): Promise<Organization> {
  const org = await visibleOrganization(services, caller, orgName);
  await authorize(services, caller, 'ManageGroups', { org });
  return org;
}

export async function groupById(services: Services, org: Organization, id: string): Promise<Principal> {
  const group = await principals.getPrincipal(services.db, id).catch(() => null);
  if (!group || group.type !== 'group' || group.orgId !== org.id) throw new NotFoundError('group', `group ${id} not found`);
  return group;
}

export async function addGroupMember(services: Services, caller: Caller, orgName: string, groupId: string, subjectType: 'user' | 'group' | 'role' | 'agent', subjectId: string): Promise<void> {
  const org = await groupOrganization(services, caller, orgName);
  const group = await groupById(services, org, groupId);
  const subject = await principals.getPrincipal(services.db, subjectId).catch(() => null);
  if (!subject || subject.type !== subjectType) throw new InvalidError(`no ${subjectType} ${subjectId}`, 'subject_id');
  if (subjectType === 'group') {
    const edges = await groups.listEdges(services.db, org.id);
    if (subject.id === group.id || wouldCreateCycle(edges, group.id, subject.id)) throw new InvalidError('that membership would make a cycle of groups', 'subject_id');
  }
  await groups.addMember(services.db, { groupId: group.id, subjectType, subjectId: subject.id });
}

export async function effectiveGroupsOf(services: Services, org: Organization, type: 'user' | 'role' | 'agent' | 'group', id: string): Promise<EffectiveGroup[]> {
  return effectiveGroups(await groups.listEdges(services.db, org.id), { type, id });
}

export async function effectivePoliciesOf(services: Services, org: Organization, type: 'user' | 'role' | 'agent' | 'group', id: string): Promise<EffectivePolicy[]> {
  const principal = await principals.getPrincipal(services.db, id).catch(() => null);
  const attachments = (await policies.listAttachments(services.db, org.id)).map((a) => ({ policyId: a.policyId, principalType: a.principalType as 'user', principalId: a.principalId }));
  return effectivePolicies({
    principal: { type, id }, edges: await groups.listEdges(services.db, org.id), attachments,
    hasInlinePolicy: Boolean(principal?.inlinePolicy),
  });
}

export async function updateGroup(services: Services, caller: Caller, orgName: string, groupId: string, changes: { name?: string; description?: string }): Promise<Principal> {
  const org = await groupOrganization(services, caller, orgName);
  const group = await groupById(services, org, groupId);
  return principals.updateOrgPrincipal(services.db, group.id, changes);
}
