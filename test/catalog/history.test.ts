// Revert, log pagination and time-travel references.
import t from 'tap';
import { ConflictError, InvalidError, NotFoundError } from '../../src/errors.js';
import { history, reads, revertCommit } from '../../src/catalog/index.js';
import { forEachCatalog } from '../helpers/catalog.js';
import { commitChanges, newRepository } from './fixtures.js';

forEachCatalog(t, 'revert restores the versions before the commit in a new commit', async (t, db) => {
  const repo = await newRepository(db);
  const first = await commitChanges(db, repo.id, { keep: 'k1', edit: 'e1', gone: 'g1' });
  const second = await commitChanges(db, repo.id, { edit: 'e2', gone: null, fresh: 'f2' }, 'second');
  const revert = await revertCommit(db, repo.id, second.seq, { committer: { type: 'user', id: '00000000-0000-4000-8000-000000000001', name: 'ann' } });
  t.equal(revert.seq, 3);
  t.equal(revert.message, 'Revert "second"');
  t.equal(revert.metadata.reverted_commit, second.id);
  t.equal(revert.committer?.name, 'ann');
  t.equal(revert.contentHash, first.contentHash, 'the tree is back to what the first commit held');
  const head = { repoId: repo.id, seq: 'head' as const };
  t.equal((await reads.getObject(db, head, 'edit'))?.etag, 'etag-e1');
  t.equal((await reads.getObject(db, head, 'gone'))?.etag, 'etag-g1');
  t.equal(await reads.getObject(db, head, 'fresh'), null);
  const restored = await reads.getObject(db, head, 'gone');
  const original = await reads.getObject(db, { repoId: repo.id, seq: first.seq }, 'gone');
  t.equal(restored?.address, original?.address, 'metadata-only: the restored version shares the blob');
});

forEachCatalog(t, 'revert refuses when a later commit touched the path, and for the root', async (t, db) => {
  const repo = await newRepository(db);
  const first = await commitChanges(db, repo.id, { p: 'v1', q: 'q1' });
  await commitChanges(db, repo.id, { p: 'v2' });
  const err = await revertCommit(db, repo.id, first.seq).catch((e: unknown) => e);
  t.type(err, ConflictError);
  t.same((err as ConflictError).paths, ['p']);
  t.equal((await history.log(db, repo.id, { limit: 10 })).items.length, 3, 'nothing was committed');
  await t.rejects(revertCommit(db, repo.id, 0), InvalidError, 'the root commit cannot be reverted');
  await t.rejects(revertCommit(db, repo.id, 99), NotFoundError);
});

forEachCatalog(t, 'log pages newest first and filters by exact path', async (t, db) => {
  const repo = await newRepository(db);
  for (let i = 1; i <= 7; i++) await commitChanges(db, repo.id, { [i % 2 ? 'odd' : 'even']: `v${i}` }, `#${i}`);
  const seen: number[] = [];
  let after: string | null = null;
  do {
    const page = await history.log(db, repo.id, { after, limit: 3 });
    seen.push(...page.items.map((c) => c.seq));
    t.equal(page.hasMore, page.next !== null, 'has_more iff a cursor is given');
    after = page.next;
  } while (after);
  t.same(seen, [7, 6, 5, 4, 3, 2, 1, 0]);
  const odd = await history.log(db, repo.id, { path: 'odd', limit: 100 });
  t.same(odd.items.map((c) => c.seq), [7, 5, 3, 1]);
  const fromFive = await history.log(db, repo.id, { fromSeq: 5, limit: 2 });
  t.same(fromFive.items.map((c) => c.seq), [5, 4]);
});

forEachCatalog(t, 'commits resolve by id and by a unique prefix of at least 8 characters', async (t, db) => {
  const repo = await newRepository(db);
  const commit = await commitChanges(db, repo.id, { a: '1' });
  t.equal((await history.resolveCommit(db, repo.id, commit.id)).seq, 1);
  t.equal((await history.resolveCommit(db, repo.id, commit.id.slice(0, 8).toUpperCase())).seq, 1);
  await t.rejects(history.resolveCommit(db, repo.id, commit.id.slice(0, 7)), NotFoundError, 'too short');
  await t.rejects(history.resolveCommit(db, repo.id, 'zzzzzzzzzz'), NotFoundError, 'not hex');
  const other = await newRepository(db, 'other');
  await t.rejects(history.resolveCommit(db, other.id, commit.id), NotFoundError, 'ids are per repository');
});
