// Group commit for direct commits (every write through plain S3 credentials is one). Each
// commit still gets its own sequence number, parent and content hash, and is acknowledged only
// once durable; but the commits that arrive for one repository while a transaction is running
// for it share the next transaction: one BEGIN, one repository lock and one COMMIT (one WAL
// flush on PostgreSQL) for the whole batch instead of one each, and the batch's commits are
// written by two statements in all (applyCommits). They go out in two round trips, because
// each answer waits for a turn of a busy event loop: the lock and the first statement in one
// (with BEGIN on the embedded catalog; PostgreSQL's BEGIN is answered first), the second and
// COMMIT in the other. Nothing waits on a timer: a lone commit starts after one turn of the
// event loop, and batches form from the commits that are ready by then or queue up behind a
// running one.
//
// A commit with a check (conditional writes, completing an upload) runs under a savepoint, so
// that a check which refuses, or fails halfway through its own writes, leaves nothing behind
// and does not disturb the others. If the batch itself fails, each commit is retried alone, so
// one commit's failure is never another's.
import type { Db, Queryable } from '../db.js';
import type { Commit, Repository } from '../types.js';
import { applyCommits, lockedRow, sendLock, type DirectCommitOptions, type RepositoryLock } from './commit.js';
import { validatePath, type Change } from './sessions.js';

const MAX_BATCH = 64;

interface Pending {
  changes: Change[];
  opts: DirectCommitOptions;
  resolve: (commit: Commit) => void;
  reject: (err: unknown) => void;
}

type Outcome = { commit: Commit } | { error: unknown };

/** Queued commits per repository; a repository is present while a batch is running for it. */
const queues = new WeakMap<Db, Map<string, Pending[]>>();

/**
 * Commits changes straight onto the head: what a write through plain S3 credentials does. No
 * conflict check is needed: the repository is locked and the base is head.
 */
export function commitChanges(db: Db, repoId: string, changes: Change[], opts: DirectCommitOptions): Promise<Commit> {
  for (const change of changes) validatePath(change.path);
  return new Promise((resolve, reject) => {
    let byRepo = queues.get(db);
    if (!byRepo) queues.set(db, (byRepo = new Map()));
    const pending: Pending = { changes, opts, resolve, reject };
    const queue = byRepo.get(repoId);
    if (queue) {
      queue.push(pending);
      return;
    }
    byRepo.set(repoId, [pending]);
    void drain(db, byRepo, repoId);
  });
}

async function drain(db: Db, byRepo: Map<string, Pending[]>, repoId: string): Promise<void> {
  const queue = byRepo.get(repoId)!;
  while (queue.length > 0) {
    // One turn of the event loop first: writes whose bytes have just been stored join this
    // batch. PGlite runs a whole transaction without yielding to the event loop, so without
    // this no other commit could ever arrive while one is running there.
    await new Promise((resolve) => setImmediate(resolve));
    const batch = queue.splice(0, MAX_BATCH);
    const outcomes = await runBatch(db, repoId, batch).catch(() => runEachAlone(db, repoId, batch));
    outcomes.forEach((outcome, i) => ('commit' in outcome ? batch[i]!.resolve(outcome.commit) : batch[i]!.reject(outcome.error)));
  }
  byRepo.delete(repoId);
}

async function runEachAlone(db: Db, repoId: string, batch: Pending[]): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (const pending of batch) outcomes.push(await runBatch(db, repoId, [pending]).then((o) => o[0]!, (error: unknown) => ({ error })));
  return outcomes;
}

function runBatch(db: Db, repoId: string, batch: Pending[]): Promise<Outcome[]> {
  return db.withTx(async (tx) => {
    // Not awaited: the first run's statements go out right behind the lock (applyCommits).
    let repo: Repository | RepositoryLock = sendLock(tx, repoId);
    const outcomes: Outcome[] = [];
    // Runs of commits without a check are written together; a check must see the commits
    // before it, so it waits for them. The last run's writing shares its round trip with COMMIT.
    let run: Pending[] = [];
    const writeRun = async (last: boolean) => {
      if (run.length === 0) return;
      const commits = await applyCommits(tx, repo, run, { commit: last });
      for (const commit of commits) outcomes.push({ commit });
      const head = commits[commits.length - 1]!;
      const locked = await lockedRow(repo); // already answered: applyCommits waited for it
      repo = { ...locked, headSeq: head.seq, headCommitId: head.id, contentHash: head.contentHash, objectCount: head.objectCount, totalSize: head.totalSize };
      run = [];
    };
    for (const pending of batch) {
      if (!pending.opts.check) {
        run.push(pending);
        continue;
      }
      await writeRun(false);
      repo = await lockedRow(repo);
      const refused = await runCheck(tx, repo, pending.opts.check);
      if (refused) outcomes.push(refused);
      else run.push(pending);
    }
    await writeRun(true);
    return outcomes;
  });
}

/** Runs a commit's check under a savepoint; its error, if it refused, with its writes undone. */
async function runCheck(tx: Queryable, repo: Repository, check: NonNullable<DirectCommitOptions['check']>): Promise<Outcome | null> {
  await tx.query('SAVEPOINT commit_check');
  try {
    await check(tx, repo);
    await tx.query('RELEASE SAVEPOINT commit_check');
    return null;
  } catch (error) {
    await tx.query('ROLLBACK TO SAVEPOINT commit_check');
    return { error };
  }
}
