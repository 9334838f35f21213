// Catalog benchmarks of the foundation issue, each beside its baseline in the same run:
//  (a) commit of 1 change on a 1,000,000-entry repository vs on an empty one;
//  (b) commit of 10,000 staged changes (baseline: commit of 1 change);
//  (c) a 1,000-entry page at the end of a 1,000,000-entry repository vs at its start;
//  (d) a delimiter listing over 1,000,000 entries in 1,000 prefixes (baseline: a flat page).
// The large repository is filled with one INSERT … SELECT from generate_series (setup, not
// measured); everything measured goes through the catalog's own functions.
import { randomUUID } from 'node:crypto';
import { commitSession, organizations, reads, repositories, sessions, type Db } from '../../src/catalog/index.js';
import { median, timeIt, type Result } from './stats.js';

const ENTRIES = Number(process.env.BENCH_ENTRIES ?? 1_000_000);
const PREFIXES = 1000;
const REPEAT = Number(process.env.BENCH_REPEAT ?? 15);

const objectData = (n: string) => ({
  address: `bench-${n}`, size: 1, etag: `e-${n}`, contentType: 'application/octet-stream',
  userMetadata: {}, httpHeaders: {}, checksums: {}, sourceMetadata: null,
});

/** Fills a repository with ENTRIES live entries at commit 1: p0000/k0000000 … */
async function fillRepository(db: Db, repoId: string): Promise<void> {
  await db.query(
    `INSERT INTO entries (repo_id, path, from_seq, address, size, etag, content_type, last_modified)
     SELECT $1, 'p' || lpad((i % ${PREFIXES})::text, 4, '0') || '/k' || lpad(i::text, 7, '0'), 1,
            'bench-' || i, 1, 'e-' || i, 'application/octet-stream', now()
     FROM generate_series(0, $2 - 1) AS i`,
    [repoId, ENTRIES],
  );
  await db.query(
    `INSERT INTO commits (repo_id, seq, id, parent_id, message, content_hash, object_count, total_size)
     SELECT id, 1, md5(random()::text) || md5(random()::text), head_commit_id, 'fill', content_hash, $2, $2
     FROM repositories WHERE id = $1`,
    [repoId, ENTRIES],
  );
  await db.query(
    `UPDATE repositories SET head_seq = 1, object_count = $2, total_size = $2,
       head_commit_id = (SELECT id FROM commits WHERE repo_id = $1 AND seq = 1) WHERE id = $1`,
    [repoId, ENTRIES],
  );
  await db.query('ANALYZE entries');
}

async function commitOne(db: Db, repoId: string, i: number): Promise<number> {
  const session = await sessions.openSession(db, repoId);
  await sessions.stagePut(db, session.id, `bench/one-${i}`, objectData(String(i)));
  return timeIt(() => commitSession(db, session.id, { message: 'one' }));
}

export async function catalogBenchmarks(db: Db, backend: string): Promise<Result[]> {
  const org = await organizations.createOrganization(db, `bench-${randomUUID().slice(0, 8)}`);
  const empty = await repositories.createRepository(db, { orgId: org.id, name: 'empty' });
  const big = await repositories.createRepository(db, { orgId: org.id, name: 'big' });
  const fillMs = await timeIt(() => fillRepository(db, big.id));
  console.error(`[${backend}] filled ${ENTRIES} entries in ${(fillMs / 1000).toFixed(1)} s`);
  const results: Result[] = [];

  const onEmpty: number[] = [];
  const onBig: number[] = [];
  for (let i = 0; i < REPEAT; i++) {
    onEmpty.push(await commitOne(db, empty.id, i));
    onBig.push(await commitOne(db, big.id, i));
  }
  results.push({ backend, name: '(a) commit 1 change', subject: `${ENTRIES} entries`, subjectMs: median(onBig), baseline: 'empty repository', baselineMs: median(onEmpty) });

  const batch = await sessions.openSession(db, empty.id);
  const changes = Array.from({ length: 10_000 }, (_, i) => ({ path: `batch/${String(i).padStart(5, '0')}`, object: objectData(`b${i}`) }));
  const stageMs = await timeIt(() => sessions.stageChanges(db, batch.id, changes));
  const commitMs = await timeIt(() => commitSession(db, batch.id, { message: 'batch' }));
  results.push({ backend, name: '(b) commit 10,000 staged changes', subject: `staging took ${stageMs.toFixed(0)} ms`, subjectMs: commitMs, baseline: 'commit 1 change', baselineMs: median(onEmpty) });

  const view = { repoId: big.id, seq: 'head' as const };
  const { rows } = await db.query<{ path: string }>(
    'SELECT path FROM entries WHERE repo_id = $1 AND to_seq IS NULL ORDER BY path DESC OFFSET 1000 LIMIT 1', [big.id]);
  const lastKeys = rows[0]!.path; // the last full page starts right after it
  const pageAt = async (after: string | null) => timeIt(() => reads.listObjects(db, view, { after, limit: 1000 }));
  const starts: number[] = [];
  const ends: number[] = [];
  for (let i = 0; i < REPEAT; i++) {
    starts.push(await pageAt(null));
    ends.push(await pageAt(lastKeys));
  }
  results.push({ backend, name: '(c) 1,000-entry page', subject: 'at the end', subjectMs: median(ends), baseline: 'at the start', baselineMs: median(starts) });

  const delimited: number[] = [];
  for (let i = 0; i < REPEAT; i++) delimited.push(await timeIt(() => reads.listObjects(db, view, { delimiter: '/', limit: 1000 })));
  const check = await reads.listObjects(db, view, { delimiter: '/', limit: 1000 });
  if (check.items.length !== PREFIXES || check.items.some((i) => i.type !== 'prefix')) throw new Error('delimiter listing returned the wrong items');
  results.push({ backend, name: '(d) delimiter "/" listing, 1,000 prefixes', subject: `${ENTRIES} entries`, subjectMs: median(delimited), baseline: 'flat 1,000-entry page', baselineMs: median(starts) });
  return results;
}
