// Repositories as both front doors use them: found by organization and name, authorized.
import { organizations, repositories, type Organization, type Repository } from '../catalog/index.js';
import type { NewRepository, RepositoryChanges } from '../catalog/queries/repositories.js';
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
  const org = await visibleOrganizationOrPublic(services, caller, orgName);
  const repo = await repositories.getRepositoryByName(services.db, org.id, repoName);
  const decision = await authorize(services, caller, action, { org, repo, ...(path !== undefined ? { path } : {}) });
  return { org, repo, decision };
}

async function visibleOrganizationOrPublic(services: Services, caller: Caller | null, name: string): Promise<Organization> {
  // Public repositories are readable by anyone, so their organization must resolve for anyone.
  return visibleOrganization(services, caller, name).catch(async (err: unknown) => {
    const org = await organizations.getOrganizationByName(services.db, name).catch(() => null);
    if (!org) throw err;
    return org;
  });
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

export async function deleteRepository(services: Services, caller: Caller, orgName: string, name: string): Promise<void> {
  const { repo } = await resolveRepository(services, caller, orgName, name, 'DeleteRepository');
  await repositories.softDeleteRepository(services.db, repo.id);
}
