// Repositories: names, keyset listing, updates and soft delete.
import t from 'tap';
import { AlreadyExistsError, GoneError, NotFoundError } from '../../src/errors.js';
import { organizations, reads, repositories, sessions } from '../../src/catalog/index.js';
import { forEachCatalog } from '../helpers/catalog.js';
import { commitChanges, newRepository } from './fixtures.js';

forEachCatalog(t, 'repositories are created, listed by name in pages, updated and soft-deleted', async (t, db) => {
  const org = await organizations.createOrganization(db, `org-list-${Date.now()}`);
  const names = ['gamma', 'alpha', 'delta', 'beta', 'epsilon'];
  for (const name of names) await repositories.createRepository(db, { orgId: org.id, name });
  await t.rejects(repositories.createRepository(db, { orgId: org.id, name: 'alpha' }), AlreadyExistsError);

  const seen: string[] = [];
  let after: string | null = null;
  do {
    const page = await repositories.listRepositories(db, org.id, { after, limit: 2 });
    seen.push(...page.items.map((r) => r.name));
    after = page.next;
  } while (after);
  t.same(seen, [...names].sort());

  const beta = await repositories.getRepositoryByName(db, org.id, 'beta');
  const updated = await repositories.updateRepository(db, beta.id, { visibility: 'public' });
  t.equal(updated.visibility, 'public');
  t.equal(updated.description, '', 'fields not given are unchanged');
  t.equal(updated.retentionDays, 14);

  await repositories.softDeleteRepository(db, beta.id);
  await t.rejects(repositories.getRepositoryByName(db, org.id, 'beta'), GoneError, 'a deleted repository is gone');
  await t.rejects(sessions.openSession(db, beta.id), NotFoundError, 'no sessions on a deleted repository');
  const again = await repositories.createRepository(db, { orgId: org.id, name: 'beta' });
  t.not(again.id, beta.id, 'the name can be reused after deletion');
  t.equal((await repositories.getRepositoryByName(db, org.id, 'beta')).id, again.id);
  await t.rejects(repositories.getRepositoryByName(db, org.id, 'nope'), NotFoundError);
});

forEachCatalog(t, 'a repository and the latest version of one path, in one read', async (t, db) => {
  const repo = await newRepository(db, 'joined');
  await commitChanges(db, repo.id, { 'a/b': 'v1', other: 'o1' });
  await commitChanges(db, repo.id, { 'a/b': 'v2', other: null });

  const found = await reads.getRepositoryAndLatest(db, repo.orgId, 'joined', 'a/b');
  t.equal(found.repo.id, repo.id);
  t.equal(found.repo.headSeq, 2, 'the repository row as it is now');
  t.same(found.entry, await reads.getObject(db, { repoId: repo.id, seq: 'head' }, 'a/b'), 'the same entry a plain read finds');
  t.equal(found.entry?.etag, 'etag-v2', 'the latest version');
  t.equal((await reads.getRepositoryAndLatest(db, repo.orgId, 'joined', 'other')).entry, null, 'a deleted path has none');
  t.equal((await reads.getRepositoryAndLatest(db, repo.orgId, 'joined', 'a')).entry, null, 'nor has a prefix');
  await t.rejects(reads.getRepositoryAndLatest(db, repo.orgId, 'nope', 'a/b'), NotFoundError, 'no such repository');

  await repositories.softDeleteRepository(db, repo.id);
  await t.rejects(reads.getRepositoryAndLatest(db, repo.orgId, 'joined', 'a/b'), GoneError, 'a deleted repository is gone, entries and all');
  const again = await repositories.createRepository(db, { orgId: repo.orgId, name: 'joined' });
  const fresh = await reads.getRepositoryAndLatest(db, repo.orgId, 'joined', 'a/b');
  t.equal(fresh.repo.id, again.id, 'a new repository of the same name is the one found');
  t.equal(fresh.entry, null, 'and it has none of the old one\'s objects');
});
