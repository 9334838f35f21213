// The one authorization check both front doors call before acting: an S3 call and its REST
// twin name the same action on the same resource, so they are allowed or denied alike.
import type { Organization, Repository } from '../catalog/index.js';
import { ForbiddenError, UnauthenticatedError } from '../errors.js';
import { callerOrganizations, type Caller } from './caller.js';
import type { Services } from './services.js';

export type Action =
  | 'ListRepositories' | 'GetRepository' | 'CreateRepository' | 'UpdateRepository' | 'DeleteRepository'
  | 'ListObjects' | 'GetObject' | 'CreateSession' | 'PutObject' | 'DeleteObject' | 'CommitSession'
  | 'ApproveSessionChanges' | 'RevertCommit' | 'ManageConnectors' | 'ImportData' | 'ManageKeys'
  | 'ManagePolicies' | 'ManageGroups' | 'ManagePrincipals' | 'AdminOrganization';

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
  if (!caller) {
    if (resource.repo?.visibility === 'public' && PUBLIC_READ.has(action)) return { requiresApproval: false };
    throw new UnauthenticatedError('authentication required');
  }
  if (resource.repo?.visibility === 'public' && PUBLIC_READ.has(action)) return { requiresApproval: false };
  if (caller.principal.isAdmin) return { requiresApproval: false };
  const orgs = await callerOrganizations(services, caller);
  if (orgs.some((o) => o.id === resource.org.id)) return { requiresApproval: false };
  throw new ForbiddenError(`${caller.actor.name} may not ${action} here`);
}
