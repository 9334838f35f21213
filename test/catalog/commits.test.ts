// Committing: atomicity, the conflict rule, gap-free sequence numbers under concurrency.
import t, { type Test } from 'tap';
import { ConflictError, NotFoundError } from '../../src/errors.js';
import { commitSession, history, reads, repositories, sessions, type Db } from '../../src/catalog/index.js';
import { forEachCatalog } from '../helpers/catalog.js';
import { commitChanges, newRepository, objectFor } from './fixtures.js';

const latest = (repoId: string) => ({ repoId, seq: 'head' as const });

forEachCatalog(t, 'a new repository has an empty root commit', async (t, db) => {
  const repo = await newRepository(db);
  t.equal(repo.headSeq, 0);
  const root = await history.getCommitBySeq(db, repo.id, 0);
  t.equal(root.id, repo.headCommitId);
  t.equal(root.parentId, null);
  const page = await reads.listObjects(db, latest(repo.id), { limit: 10 });
  t.same(page.items, []);
});

forEachCatalog(t, 'staged changes are invisible until commit, then all visible at once', async (t, db) => {
  const repo = await newRepository(db);
  const session = await sessions.openSession(db, repo.id);
  await sessions.stagePut(db, session.id, 'a.txt', objectFor('A'));
  await sessions.stagePut(db, session.id, 'b.txt', objectFor('B'));
  t.equal(await reads.getObject(db, latest(repo.id), 'a.txt'), null, 'not visible at head before commit');
  const inSession = await reads.getObject(db, { repoId: repo.id, seq: session.baseSeq, sessionId: session.id }, 'a.txt');
  t.equal(inSession?.etag, 'etag-A', 'visible in the session');
  const commit = await commitSession(db, session.id, { message: 'two files', metadata: { k: 'v' } });
  t.equal(commit.seq, 1);
  t.equal(commit.changeCount, 2);
  t.same(commit.metadata, { k: 'v' });
  t.equal((await reads.getObject(db, latest(repo.id), 'b.txt'))?.etag, 'etag-B');
  t.equal(await reads.getObject(db, { repoId: repo.id, seq: 0 }, 'a.txt'), null, 'the root commit still reads empty');
  await t.rejects(commitSession(db, session.id, { message: 'again' }), NotFoundError, 'a committed session is closed');
  await t.rejects(sessions.stagePut(db, session.id, 'c', objectFor('C')), NotFoundError, 'no staging into a closed session');
});

forEachCatalog(t, 'two sessions on disjoint paths both commit', async (t, db) => {
  const repo = await newRepository(db);
  const s1 = await sessions.openSession(db, repo.id);
  const s2 = await sessions.openSession(db, repo.id);
  await sessions.stagePut(db, s1.id, 'left/x', objectFor('1'));
  await sessions.stagePut(db, s2.id, 'right/x', objectFor('2'));
  const c1 = await commitSession(db, s1.id, { message: 'left' });
  const c2 = await commitSession(db, s2.id, { message: 'right' });
  t.same([c1.seq, c2.seq], [1, 2]);
  t.equal(c2.parentId, c1.id);
  const page = await reads.listObjects(db, latest(repo.id), { limit: 10 });
  t.same(page.items.map((i) => i.path), ['left/x', 'right/x']);
});

forEachCatalog(t, 'two sessions on the same path: one commits, the other conflicts and changes nothing', async (t, db) => {
  const repo = await newRepository(db);
  await commitChanges(db, repo.id, { shared: 'v0' });
  const s1 = await sessions.openSession(db, repo.id);
  const s2 = await sessions.openSession(db, repo.id);
  await sessions.stagePut(db, s1.id, 'shared', objectFor('v1'));
  await sessions.stagePut(db, s2.id, 'shared', objectFor('v2'));
  await sessions.stagePut(db, s2.id, 'other', objectFor('x'));
  const results = await Promise.allSettled([
    commitSession(db, s1.id, { message: 's1' }),
    commitSession(db, s2.id, { message: 's2' }),
  ]);
  const won = results.filter((r) => r.status === 'fulfilled');
  const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  t.equal(won.length, 1, 'exactly one commits');
  t.equal(lost.length, 1);
  t.type(lost[0]!.reason, ConflictError);
  t.same((lost[0]!.reason as ConflictError).paths, ['shared'], 'the conflict names the path');
  const after = await repositories.getRepositoryById(db, repo.id);
  t.equal(after.headSeq, 2, 'only one commit landed');
  const winner = results[0]!.status === 'fulfilled' ? 'v1' : 'v2';
  t.equal((await reads.getObject(db, latest(repo.id), 'shared'))?.etag, `etag-${winner}`);
  if (winner === 'v1') t.equal(await reads.getObject(db, latest(repo.id), 'other'), null, "the loser's other path did not land");
  const loser = winner === 'v1' ? s2 : s1;
  t.equal((await sessions.getSession(db, loser.id)).status, 'open', 'the losing session stays open');
});

forEachCatalog(t, 'a delete conflicts with a concurrent put, and deleting a missing path is a no-op', async (t, db) => {
  const repo = await newRepository(db);
  await commitChanges(db, repo.id, { p: 'v0' });
  const s1 = await sessions.openSession(db, repo.id);
  await sessions.stageDelete(db, s1.id, 'p');
  await commitChanges(db, repo.id, { p: 'v1' });
  await t.rejects(commitSession(db, s1.id, { message: 'delete' }), ConflictError);
  const commit = await commitChanges(db, repo.id, { nothing: null });
  t.equal(commit.changeCount, 0);
  t.equal(commit.objectCount, 1);
});

forEachCatalog(t, 'rollback discards staged changes and closes the session', async (t, db) => {
  const repo = await newRepository(db);
  const session = await sessions.openSession(db, repo.id);
  await sessions.stagePut(db, session.id, 'x', objectFor('x'));
  await sessions.rollbackSession(db, session.id);
  t.equal((await sessions.getSession(db, session.id)).status, 'rolled_back');
  await t.rejects(commitSession(db, session.id, { message: 'late' }), NotFoundError);
  t.equal((await repositories.getRepositoryById(db, repo.id)).headSeq, 0);
});

/** Many committers at once, each on its own connection when the backend has them. */
async function concurrentCommitters(t: Test, db: Db, committers: number): Promise<void> {
  const repo = await newRepository(db);
  const opened = await Promise.all(
    Array.from({ length: committers }, async (_, i) => {
      const session = await sessions.openSession(db, repo.id);
      await sessions.stageChanges(db, session.id, [0, 1, 2].map((j) => ({ path: `c${i}/f${j}`, object: objectFor(`${i}-${j}`) })));
      return session;
    }),
  );
  const commits = await Promise.all(opened.map((s, i) => commitSession(db, s.id, { message: `committer ${i}` })));
  const seqs = commits.map((c) => c.seq).sort((a, b) => a - b);
  t.same(seqs, Array.from({ length: committers }, (_, i) => i + 1), 'distinct, gap-free sequence numbers');
  const page = await reads.listObjects(db, latest(repo.id), { limit: 1000 });
  t.equal(page.items.length, committers * 3, 'no staged change was lost');
  const log = await history.log(db, repo.id, { limit: 1000 });
  t.equal(log.items.length, committers + 1);
  for (let i = 0; i < log.items.length - 1; i++) t.equal(log.items[i]!.parentId, log.items[i + 1]!.id, 'a linear chain');
}

// On PostgreSQL the pool holds 20 connections, so these are 20 parallel transactions.
forEachCatalog(t, '20 concurrent committers', async (t, db) => {
  await concurrentCommitters(t, db, 20);
});

