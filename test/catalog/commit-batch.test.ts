// Group commit of direct commits: concurrent commits to one repository share transactions,
// yet each is its own commit with its own sequence number, parent and content hash, and one
// commit's refusal or failure is never another's.
import t from 'tap';
import {
  commitChanges, EMPTY_CONTENT_HASH, history, reads, repositories, updateContentHash, type Db, type Queryable, type Transaction,
} from '../../src/catalog/index.js';
import { PreconditionFailedError } from '../../src/errors.js';
import { applyCommits, lockRepository } from '../../src/catalog/queries/commit.js';
import { forEachCatalog } from '../helpers/catalog.js';
import { newRepository, objectFor } from './fixtures.js';

const latest = (repoId: string) => ({ repoId, seq: 'head' as const });

async function contentHashOfHead(db: Db, repoId: string): Promise<string> {
  const page = await reads.listObjects(db, latest(repoId), { limit: 1000 });
  const live = page.items.flatMap((i) => (i.type === 'object' ? [{ path: i.path, etag: i.entry.etag, size: i.entry.size }] : []));
  return updateContentHash(EMPTY_CONTENT_HASH, [], live);
}

forEachCatalog(t, 'concurrent direct commits: one commit each, gap-free, every hash right', async (t, db) => {
  const repo = await newRepository(db);
  const n = 60;
  // Some paths are written several times, so commits of one batch supersede each other's versions.
  const commits = await Promise.all(
    Array.from({ length: n }, (_, i) => commitChanges(db, repo.id, [{ path: `p${i % 7}`, object: objectFor(`v${i}`) }], { message: `#${i}` })),
  );
  t.same(commits.map((c) => c.seq).sort((a, b) => a - b), Array.from({ length: n }, (_, i) => i + 1), 'distinct, gap-free sequence numbers');
  const log = await history.log(db, repo.id, { limit: 1000 });
  t.equal(log.items.length, n + 1);
  for (let i = 0; i < log.items.length - 1; i++) t.equal(log.items[i]!.parentId, log.items[i + 1]!.id, 'a linear chain');
  const head = await repositories.getRepositoryById(db, repo.id);
  t.equal(head.contentHash, await contentHashOfHead(db, repo.id), 'the head content hash agrees with a recomputation');
  t.equal(head.objectCount, 7);
  // Each path holds the version of the last commit that wrote it.
  for (let p = 0; p < 7; p++) {
    const writers = commits.filter((c) => c.message.length > 0 && Number(c.message.slice(1)) % 7 === p);
    const last = writers.reduce((a, b) => (a.seq > b.seq ? a : b));
    const entry = await reads.getObject(db, latest(repo.id), `p${p}`);
    t.equal(entry?.etag, `etag-v${last.message.slice(1)}`, `p${p} holds the last write`);
    t.equal(entry?.fromSeq, last.seq);
  }
  // Every commit reads back as it was: the version of a path at seq s is that of its last
  // writer at or before s (versions a later commit of the same batch replaced ended there).
  const bySeq = [...commits].sort((a, b) => a.seq - b.seq);
  let wrong = 0;
  for (const { seq } of bySeq) {
    for (let p = 0; p < 7; p++) {
      const writer = bySeq.filter((c) => c.seq <= seq && Number(c.message.slice(1)) % 7 === p).pop();
      const entry = await reads.getObject(db, { repoId: repo.id, seq }, `p${p}`);
      if ((entry?.etag ?? null) !== (writer ? `etag-v${writer.message.slice(1)}` : null)) wrong++;
    }
  }
  t.equal(wrong, 0, 'every path at every commit holds the version of its last writer by then');
});

forEachCatalog(t, 'a refused check undoes its own writes and leaves the rest of the batch alone', async (t, db) => {
  const repo = await newRepository(db);
  await commitChanges(db, repo.id, [{ path: 'exists', object: objectFor('x') }], { message: 'seed' });
  const marker = (tx: Queryable, path: string) =>
    tx.query(`UPDATE repositories SET description = $2 WHERE id = $1`, [repo.id, path]);
  const results = await Promise.allSettled(
    Array.from({ length: 12 }, (_, i) =>
      commitChanges(db, repo.id, [{ path: `k${i}`, object: objectFor(`k${i}`) }], {
        message: `#${i}`,
        // Every third commit writes something, then refuses.
        check: async (tx) => {
          if (i % 3 !== 0) return;
          await marker(tx, `written by refused #${i}`);
          throw new PreconditionFailedError(`#${i} refuses`);
        },
      })),
  );
  results.forEach((r, i) => {
    if (i % 3 === 0) t.match(r, { status: 'rejected', reason: { message: `#${i} refuses` } });
    else t.equal(r.status, 'fulfilled', `#${i} committed`);
  });
  const after = await repositories.getRepositoryById(db, repo.id);
  t.equal(after.description, '', 'no refused check left a write behind');
  t.equal(after.headSeq, 1 + 8, 'exactly the eight accepted commits landed');
  t.equal(after.contentHash, await contentHashOfHead(db, repo.id));
});

forEachCatalog(t, 'a commit that fails in SQL fails alone', async (t, db) => {
  const repo = await newRepository(db);
  const results = await Promise.allSettled(
    Array.from({ length: 10 }, (_, i) =>
      commitChanges(db, repo.id, [{ path: `k${i}`, object: objectFor(`k${i}`, i === 4 ? { contentType: null as unknown as string } : {}) }], { message: `#${i}` })),
  );
  results.forEach((r, i) => t.equal(r.status, i === 4 ? 'rejected' : 'fulfilled', `#${i}`));
  const page = await reads.listObjects(db, latest(repo.id), { limit: 100 });
  t.same(page.items.map((i) => i.path), ['k0', 'k1', 'k2', 'k3', 'k5', 'k6', 'k7', 'k8', 'k9']);
  t.equal((await repositories.getRepositoryById(db, repo.id)).headSeq, 9, 'gap-free despite the failure');
});

forEachCatalog(t, 'applyCommits writes many commits in one call, each with its own view', async (t, db) => {
  // Called directly, without group commit's retry of each commit alone, which would hide a
  // failure of the batched statements.
  const repo = await newRepository(db);
  await commitChanges(db, repo.id, [{ path: 'a', object: objectFor('a0') }, { path: 'gone', object: objectFor('g') }], { message: 'seed' });
  const seeded = await repositories.getRepositoryById(db, repo.id);
  const commits = await db.withTx(async (tx) => applyCommits(tx, await lockRepository(tx, repo.id), [
    { changes: [{ path: 'a', object: objectFor('a1') }, { path: 'b', object: objectFor('b1') }], opts: { message: 'one' } },
    { changes: [{ path: 'a', object: objectFor('a2') }, { path: 'gone', object: null }, { path: 'never', object: null }], opts: { message: 'two' } },
    { changes: [{ path: 'b', object: null }, { path: 'b', object: objectFor('b3') }], opts: { message: 'three' } },
    { changes: [], opts: { message: 'empty' } },
  ]));
  t.same(commits.map((c) => [c.seq, c.message, c.changeCount, c.objectCount]), [[2, 'one', 2, 3], [3, 'two', 2, 2], [4, 'three', 1, 2], [5, 'empty', 0, 2]]);
  t.same(commits.map((c) => c.parentId), [seeded.headCommitId, ...commits.slice(0, 3).map((c) => c.id)], 'each commit the parent of the next');
  const at = async (seq: number) => {
    const page = await reads.listObjects(db, { repoId: repo.id, seq }, { limit: 100 });
    return page.items.map((i) => (i.type === 'object' ? `${i.path}=${i.entry.etag}` : i.path));
  };
  t.same(await at(1), ['a=etag-a0', 'gone=etag-g']);
  t.same(await at(2), ['a=etag-a1', 'b=etag-b1', 'gone=etag-g']);
  t.same(await at(3), ['a=etag-a2', 'b=etag-b1']);
  t.same(await at(4), ['a=etag-a2', 'b=etag-b3'], 'the last change of a path in a commit wins');
  t.same(await at(5), ['a=etag-a2', 'b=etag-b3']);
  const head = await repositories.getRepositoryById(db, repo.id);
  t.match(head, { headSeq: 5, headCommitId: commits[3]!.id, contentHash: commits[3]!.contentHash, objectCount: 2 });
  t.equal(head.contentHash, await contentHashOfHead(db, repo.id), 'the head content hash agrees with a recomputation');
  for (const c of commits) {
    const page = await reads.listObjects(db, { repoId: repo.id, seq: c.seq }, { limit: 100 });
    const live = page.items.flatMap((i) => (i.type === 'object' ? [{ path: i.path, etag: i.entry.etag, size: i.entry.size }] : []));
    t.equal(c.contentHash, updateContentHash(EMPTY_CONTENT_HASH, [], live), `commit ${c.seq}'s content hash is that of its tree`);
  }
});

/** A Db whose transactions log when each statement is sent and when its answer arrives. */
function loggingTransactions(db: Db, log: string[]): Db {
  const name = (sql: string) =>
    /FOR UPDATE/.test(sql) ? 'lock' : /^\s*UPDATE entries/.test(sql) ? 'end versions' : /^\s*WITH added/.test(sql) ? 'write' : sql;
  const logged = <R>(label: string, run: () => Promise<R>) => {
    log.push(`send ${label}`);
    return run().finally(() => log.push(`answer ${label}`));
  };
  const wrap = (tx: Transaction): Transaction => ({
    exec: (script) => tx.exec(script),
    query: (sql, params) => logged(name(sql), () => tx.query(sql, params)),
    queryAndCommit: (sql, params) => logged(`${name(sql)} + COMMIT`, () => tx.queryAndCommit(sql, params)),
  });
  return Object.assign(Object.create(db) as Db, { withTx: <T>(fn: (tx: Transaction) => Promise<T>) => db.withTx((tx) => fn(wrap(tx))) });
}

forEachCatalog(t, 'a batch sends its statements in two round trips', async (t, db) => {
  // Each answer waits for a turn of the server's event loop, so the lock and the UPDATE go out
  // together, and so do the INSERT and COMMIT.
  const repo = await newRepository(db);
  await commitChanges(db, repo.id, [{ path: 'a', object: objectFor('a0') }], { message: 'seed' });
  const log: string[] = [];
  await commitChanges(loggingTransactions(db, log), repo.id, [{ path: 'a', object: objectFor('a1') }], { message: 'logged' });
  t.same(log, [
    'send lock',
    'send end versions',
    'answer lock',
    'answer end versions',
    'send write + COMMIT',
    'answer write + COMMIT',
  ]);
  t.equal((await reads.getObject(db, latest(repo.id), 'a'))?.etag, 'etag-a1', 'and the commit landed');
});
