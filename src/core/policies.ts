// Policies of an organization for the REST door: validated on write, built-ins read-only,
// attached to users, groups, roles or agents. Managing them needs ManagePolicies.
import { policies, principals, type Organization } from '../catalog/index.js';
import type { PolicyRow } from '../catalog/queries/policies.js';
import { ForbiddenError, InvalidError, NotFoundError } from '../errors.js';
import { authorize } from './authorize.js';
import { visibleOrganization, type Caller } from './caller.js';
import { parsePolicy, type PolicyError } from './policy/index.js';
import type { Services } from './services.js';

export async function policyOrganization(services: Services, caller: Caller, orgName: string): Promise<Organization> {
  const org = await visibleOrganization(services, caller, orgName);
  await authorize(services, caller, 'ManagePolicies', { org });
  return org;
}

export function validatePolicyText(text: string): PolicyError[] {
  return [...parsePolicy(text).errors];
}

function assertValid(text: string): void {
  const errors = validatePolicyText(text);
  if (errors.length) throw new InvalidError(`policy_text line ${errors[0]!.line}, column ${errors[0]!.column}: ${errors[0]!.message}`, 'policy_text');
}

export async function createPolicy(services: Services, caller: Caller, orgName: string, input: { name: string; description?: string; text: string }): Promise<PolicyRow> {
  const org = await policyOrganization(services, caller, orgName);
  assertValid(input.text);
  return policies.createPolicy(services.db, { orgId: org.id, name: input.name, description: input.description ?? '', text: input.text, createdBy: caller.actor });
}

export async function updatePolicy(services: Services, caller: Caller, orgName: string, id: string, changes: { name?: string; description?: string; text?: string }): Promise<PolicyRow> {
  const org = await policyOrganization(services, caller, orgName);
  const policy = await policies.getPolicy(services.db, org.id, id);
  if (policy.isBuiltin) throw new ForbiddenError('built-in policies are read-only');
  if (changes.text !== undefined) assertValid(changes.text);
  return policies.updatePolicy(services.db, policy.id, changes);
}

export async function deletePolicy(services: Services, caller: Caller, orgName: string, id: string): Promise<void> {
  const org = await policyOrganization(services, caller, orgName);
  const policy = await policies.getPolicy(services.db, org.id, id);
  if (policy.isBuiltin) throw new InvalidError('built-in policies cannot be deleted');
  await policies.deletePolicy(services.db, policy.id);
}

export async function attach(services: Services, caller: Caller, orgName: string, id: string, principalType: string, principalId: string, detach = false): Promise<void> {
  const org = await policyOrganization(services, caller, orgName);
  const policy = await policies.getPolicy(services.db, org.id, id);
  const principal = await principals.getPrincipal(services.db, principalId).catch(() => null);
  if (!principal || principal.type !== principalType || (principal.orgId !== null && principal.orgId !== org.id)) {
    throw new NotFoundError('principal', `no ${principalType} ${principalId} in ${org.name}`);
  }
  if (detach) await policies.detachPolicy(services.db, policy.id, principal.id);
  else await policies.attachPolicy(services.db, policy.id, { type: principal.type, id: principal.id }, caller.actor);
}
