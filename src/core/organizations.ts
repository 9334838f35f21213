// Organizations and their members, for the REST door. Creating one makes the caller a member
// with the built-in Admin policy, and gives the organization the built-in policies.
import { organizations, policies, principals, type Organization } from '../catalog/index.js';
import type { Member } from '../catalog/queries/organizations.js';
import { AlreadyExistsError, ForbiddenError, NotFoundError } from '../errors.js';
import { authorize } from './authorize.js';
import { visibleOrganization, type Caller } from './caller.js';
import { BUILTIN_POLICIES } from './policy/index.js';
import type { Services } from './services.js';

export async function createOrganization(services: Services, caller: Caller, name: string, displayName: string): Promise<Organization> {
  if (caller.principal.type !== 'user') throw new ForbiddenError('only users create organizations');
  return services.db.withTx(async (tx) => {
    const org = await organizations.createOrganization(tx, name, displayName);
    await policies.ensureBuiltinPolicies(tx, org.id, BUILTIN_POLICIES);
    await organizations.addMember(tx, org.id, caller.principal.id);
    await policies.attachPolicy(tx, await policies.findPolicyIdByName(tx, org.id, 'Admin'), { type: 'user', id: caller.principal.id }, caller.actor);
    return org;
  });
}

export async function listMembers(services: Services, caller: Caller, orgName: string): Promise<{ org: Organization; members: Member[] }> {
  const org = await visibleOrganization(services, caller, orgName);
  return { org, members: await organizations.listMembers(services.db, org.id) };
}

export async function addMember(services: Services, caller: Caller, orgName: string, username: string): Promise<void> {
  const org = await visibleOrganization(services, caller, orgName);
  await authorize(services, caller, 'AdminOrganization', { org });
  const user = await principals.findUserByName(services.db, username);
  if (!user) throw new NotFoundError('user', `no user ${username}`);
  if (!(await organizations.insertMember(services.db, org.id, user.id))) throw new AlreadyExistsError('member', `${username} is already a member`);
}

export async function removeMember(services: Services, caller: Caller, orgName: string, userId: string): Promise<void> {
  const org = await visibleOrganization(services, caller, orgName);
  await authorize(services, caller, 'AdminOrganization', { org });
  await organizations.removeMember(services.db, org.id, userId);
}

export async function deleteOrganization(services: Services, caller: Caller, orgName: string): Promise<void> {
  const org = await visibleOrganization(services, caller, orgName);
  await authorize(services, caller, 'AdminOrganization', { org });
  await organizations.softDeleteOrganization(services.db, org.id);
}
