// Roles and agents of an organization, and their keys. Managing them needs ManagePrincipals;
// an agent's inline policy is validated, and the agent records its creator (whose permissions
// cap it).
import { apiKeys, principals, type Organization } from '../catalog/index.js';
import type { ApiKey } from '../catalog/queries/api-keys.js';
import type { Principal, PrincipalChanges } from '../catalog/queries/principals.js';
import { InvalidError } from '../errors.js';
import { authorize } from './authorize.js';
import { visibleOrganization, type Caller } from './caller.js';
import { issueKey, type IssuedKey } from './keys.js';
import { parsePolicy } from './policy/index.js';
import type { Services } from './services.js';

export type OrgPrincipalType = 'role' | 'agent';

export async function managedOrganization(services: Services, caller: Caller, orgName: string): Promise<Organization> {
  const org = await visibleOrganization(services, caller, orgName);
  await authorize(services, caller, 'ManagePrincipals', { org });
  return org;
}

export function validateInlinePolicy(text: string | undefined): void {
  if (!text) return;
  const { errors } = parsePolicy(text);
  if (errors.length > 0) {
    const e = errors[0]!;
    throw new InvalidError(`inline_policy line ${e.line}, column ${e.column}: ${e.message}`, 'inline_policy');
  }
}

export async function createPrincipal(
  services: Services, caller: Caller, orgName: string, type: OrgPrincipalType,
  input: { name: string; description?: string; metadata?: Record<string, string>; inlinePolicy?: string },
): Promise<Principal> {
  const org = await managedOrganization(services, caller, orgName);
  validateInlinePolicy(input.inlinePolicy);
  return principals.createOrgPrincipal(services.db, {
    type, orgId: org.id, name: input.name, description: input.description ?? '', metadata: input.metadata ?? {},
    inlinePolicy: input.inlinePolicy || null, createdBy: { type: caller.actor.type, id: caller.actor.id },
  });
}

export async function getPrincipal(services: Services, caller: Caller, orgName: string, type: OrgPrincipalType, name: string): Promise<Principal> {
  const org = await managedOrganization(services, caller, orgName);
  return principals.getOrgPrincipalByName(services.db, org.id, type, name);
}

export async function updatePrincipal(services: Services, caller: Caller, orgName: string, type: OrgPrincipalType, name: string, changes: PrincipalChanges): Promise<Principal> {
  validateInlinePolicy(changes.inlinePolicy);
  const target = await getPrincipal(services, caller, orgName, type, name);
  return principals.updateOrgPrincipal(services.db, target.id, changes);
}

export async function deletePrincipal(services: Services, caller: Caller, orgName: string, type: OrgPrincipalType, name: string): Promise<void> {
  const target = await getPrincipal(services, caller, orgName, type, name);
  await principals.deleteOrgPrincipal(services.db, target.id);
}

export async function createKeyFor(services: Services, caller: Caller, orgName: string, type: OrgPrincipalType, name: string, keyName: string, description = ''): Promise<IssuedKey> {
  const target = await getPrincipal(services, caller, orgName, type, name);
  return issueKey(services, target, { name: keyName, description });
}

export async function keyOf(services: Services, caller: Caller, orgName: string, type: OrgPrincipalType, name: string, keyId: string): Promise<ApiKey> {
  const target = await getPrincipal(services, caller, orgName, type, name);
  return apiKeys.getKeyOf(services.db, target.id, keyId);
}
