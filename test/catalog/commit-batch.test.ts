// Group commit of direct commits: concurrent commits to one repository share transactions,
// yet each is its own commit with its own sequence number, parent and content hash, and one
// commit's refusal or failure is never another's.
import t from 'tap';
import {
  commitChanges, EMPTY_CONTENT_HASH, history, reads, repositories, updateContentHash, type Db, type Queryable,
} from '../../src/catalog/index.js';
import { PreconditionFailedError } from '../../src/errors.js';
import { forEachBackend } from '../helpers/catalog.js';
import { newRepository, objectFor } from './fixtures.js';

const latest = (repoId: string) => ({ repoId, seq: 'head' as const });

async function contentHashOfHead(db: Db, repoId: string): Promise<string> {
  const page = await reads.listObjects(db, latest(repoId), { limit: 1000 });
  const live = page.items.flatMap((i) => (i.type === 'object' ? [{ path: i.path, etag: i.entry.etag, size: i.entry.size }] : []));
  return updateContentHash(EMPTY_CONTENT_HASH, [], live);
}

forEachBackend(t, 'concurrent direct commits: one commit each, gap-free, every hash right', async (t, db) => {
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
});

forEachBackend(t, 'a refused check undoes its own writes and leaves the rest of the batch alone', async (t, db) => {
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

forEachBackend(t, 'a commit that fails in SQL fails alone', async (t, db) => {
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
