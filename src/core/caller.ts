// Who is making a request, as both front doors establish it: the principal behind an API key
// (S3 SigV4 or Bearer) or a password, and the session its credentials are bound to, if any.
import { organizations, principals, type Actor, type Organization } from '../catalog/index.js';
import type { ApiKey } from '../catalog/queries/api-keys.js';
import type { Principal } from '../catalog/queries/principals.js';
import { ForbiddenError, NotFoundError } from '../errors.js';
import type { Services } from './services.js';

export interface Caller {
  principal: Principal;
  actor: Actor;
  /** The key used, or null for password authentication. */
  key: ApiKey | null;
  /** Session-bound credentials read and write this session only. */
  sessionId: string | null;
}

export function callerOf(principal: Principal, key: ApiKey | null): Caller {
  return { principal, actor: principals.actorOf(principal), key, sessionId: key?.sessionId ?? null };
}

/** The organizations a caller belongs to: a user's memberships, a role's or agent's own. */
export function callerOrganizations(services: Services, caller: Caller): Promise<Organization[]> {
  const { id, orgId } = caller.principal;
  return services.authCache.get(`orgs:${id}`, async () =>
    orgId ? [await organizations.getOrganizationById(services.db, orgId)] : organizations.listUserOrganizations(services.db, id));
}

/**
 * The organization S3 buckets live in for this caller: a role's or agent's own, a user's
 * `default` membership if any, else its earliest membership.
 */
export async function homeOrganization(services: Services, caller: Caller): Promise<Organization> {
  const orgs = await callerOrganizations(services, caller);
  const home = orgs.find((o) => o.name === 'default') ?? orgs[0];
  if (!home) throw new ForbiddenError('the caller belongs to no organization');
  return home;
}

/** An organization by name that the caller may see (404 otherwise, so names do not leak). */
export async function visibleOrganization(services: Services, caller: Caller | null, name: string): Promise<Organization> {
  const org = await organizations.getOrganizationByName(services.db, name);
  if (caller?.principal.isAdmin) return org;
  const mine = caller ? await callerOrganizations(services, caller) : [];
  if (!mine.some((o) => o.id === org.id)) throw new NotFoundError('organization', `organization ${name} not found`);
  return org;
}
