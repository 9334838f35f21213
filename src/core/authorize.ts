// The one authorization check both front doors call before acting: an S3 call and its REST
// twin name the same action on the same resource, so they are allowed or denied alike.
// Administrators may do everything; anonymous callers may read public repositories; everyone
// else needs membership of the organization and a policy that allows the action (policy/).
import { policies, principals, type Organization, type Repository } from '../catalog/index.js';
import type { Principal } from '../catalog/queries/principals.js';
import { ForbiddenError, UnauthenticatedError } from '../errors.js';
import { callerOrganizations, type Caller } from './caller.js';
import { authorize as evaluate, describeRequest, loadPolicy, type Action, type Grants, type StatementList } from './policy/index.js';
import type { Services } from './services.js';

export type { Action };

export interface Resource {
  org: Organization;
  repo?: Repository;
  path?: string;
}

export interface Decision {
  /** The grant used requires a person's approval before the session may commit. */
  requiresApproval: boolean;
}

const PUBLIC_READ: ReadonlySet<Action> = new Set(['GetRepository', 'ListObjects', 'GetObject']);

/** Throws ForbiddenError (or UnauthenticatedError for anonymous callers) unless allowed. */
export async function authorize(services: Services, caller: Caller | null, action: Action, resource: Resource): Promise<Decision> {
  const publicRead = resource.repo?.visibility === 'public' && PUBLIC_READ.has(action);
  if (!caller) {
    if (publicRead) return { requiresApproval: false };
    throw new UnauthenticatedError('authentication required');
  }
  if (caller.principal.isAdmin) return { requiresApproval: false };
  const member = (await callerOrganizations(services, caller)).some((o) => o.id === resource.org.id);
  if (!member) {
    if (publicRead) return { requiresApproval: false };
    throw new ForbiddenError(`${caller.actor.name} is not a member of ${resource.org.name}`);
  }
  const request = {
    action,
    org: resource.org.name,
    ...(resource.repo ? { repository: resource.repo.name } : {}),
    ...(resource.path !== undefined ? { path: resource.path } : {}),
  };
  const decision = evaluate(await grantsOf(services, caller.principal, resource.org.id), request);
  if (decision.allowed) return { requiresApproval: decision.requiresApproval };
  if (publicRead) return { requiresApproval: false };
  throw new ForbiddenError(`${caller.actor.name} may not ${describeRequest(request)}: ${decision.reason}`);
}

async function statementsOf(services: Services, principalId: string, orgId: string): Promise<StatementList[]> {
  const texts = await policies.policyTextsFor(services.db, principalId, orgId);
  return texts.map((text) => loadPolicy(text).statements);
}

/** What a principal holds in an organization: its policies, or for an agent inline ∩ creator. */
export function grantsOf(services: Services, principal: Principal, orgId: string): Promise<Grants> {
  return services.authCache.get(`grants:${principal.id}:${orgId}`, () => loadGrants(services, principal, orgId));
}

async function loadGrants(services: Services, principal: Principal, orgId: string): Promise<Grants> {
  if (principal.type !== 'agent') return { kind: 'principal', policies: await statementsOf(services, principal.id, orgId) };
  const creator = principal.createdBy ? await principals.getPrincipal(services.db, principal.createdBy).catch(() => null) : null;
  const creatorPolicies = !creator ? [] : creator.isAdmin ? [loadPolicy('*()').statements] : await statementsOf(services, creator.id, orgId);
  return { kind: 'agent', inline: principal.inlinePolicy ? loadPolicy(principal.inlinePolicy).statements : null, creatorPolicies };
}
