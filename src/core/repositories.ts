// Repositories as both front doors use them: found by organization and name, authorized.
import { organizations, repositories, type Organization, type Repository } from '../catalog/index.js';
import type { NewRepository, RepositoryChanges } from '../catalog/queries/repositories.js';
import { GoneError, NotFoundError, UnauthenticatedError } from '../errors.js';
import { authorize, type Action, type Decision } from './authorize.js';
import { visibleOrganization, type Caller } from './caller.js';
import type { Services } from './services.js';

export interface ResolvedRepository {
  org: Organization;
  repo: Repository;
  decision: Decision;
}

/** The repository `org/name` if it exists and the caller may perform `action` on it (at `path`). */
export async function resolveRepository(
  services: Services,
  caller: Caller | null,
  orgName: string,
  repoName: string,
  action: Action,
  path?: string,
): Promise<ResolvedRepository> {
  // Outsiders may read public repositories; of private ones they learn nothing, not even
  // existence: a member of another organization gets 404, an anonymous caller is asked to log in.
  const hidden = () => (caller ? new NotFoundError('repository', `repository ${orgName}/${repoName} not found`) : new UnauthenticatedError('authentication required'));
  const member = await visibleOrganization(services, caller, orgName).catch(() => null);
  const org = member ?? (await organizations.getOrganizationByName(services.db, orgName).catch(() => { throw hidden(); }));
  const repo = await repositoryByName(services, org.id, repoName).catch((err: unknown) => {
    throw !member && (err instanceof NotFoundError || err instanceof GoneError) ? hidden() : err;
  });
  if (!member && repo.visibility !== 'public') throw hidden();
  const decision = await authorize(services, caller, action, { org, repo, ...(path !== undefined ? { path } : {}) });
  return { org, repo, decision };
}

/** A repository row by organization and name (soft-deleted ones too: callers answer 410 for those). */
export function repositoryByName(services: Services, orgId: string, name: string): Promise<Repository> {
  return services.headCache.repository(orgId, name, () => repositories.getRepositoryByName(services.db, orgId, name));
}

export async function createRepository(
  services: Services,
  caller: Caller,
  org: Organization,
  input: Omit<NewRepository, 'orgId' | 'createdBy'>,
): Promise<Repository> {
  await authorize(services, caller, 'CreateRepository', { org });
  return repositories.createRepository(services.db, { ...input, orgId: org.id, createdBy: caller.actor });
}

export async function updateRepository(services: Services, caller: Caller, orgName: string, name: string, changes: RepositoryChanges): Promise<Repository> {
  const { repo } = await resolveRepository(services, caller, orgName, name, 'UpdateRepository');
  return repositories.updateRepository(services.db, repo.id, changes);
}

export async function deleteRepository(
  services: Services,
  caller: Caller,
  orgName: string,
  name: string,
  opts: { onlyIfEmpty?: boolean } = {},
): Promise<void> {
  const { repo } = await resolveRepository(services, caller, orgName, name, 'DeleteRepository');
  await repositories.softDeleteRepository(services.db, repo.id, opts);
}
