// Repositories: names, keyset listing, updates and soft delete.
import t from 'tap';
import { AlreadyExistsError, GoneError, NotFoundError } from '../../src/errors.js';
import { organizations, repositories, sessions } from '../../src/catalog/index.js';
import { forEachCatalog } from '../helpers/catalog.js';

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
