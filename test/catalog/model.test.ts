// Randomized histories checked against a brute-force model of the tree at every commit:
// diff, content_hash and listing (prefix, delimiter, pagination, sessions) must all agree.
import t from 'tap';
import {
  commitSession, compareKeys, diffs, EMPTY_CONTENT_HASH, history, reads, sessions, updateContentHash,
  type Db, type ListItem, type View,
} from '../../src/catalog/index.js';
import { forEachBackend } from '../helpers/catalog.js';
import { newRepository, objectFor } from './fixtures.js';

type Tree = Map<string, string>; // path -> content

/** A small seeded PRNG, so a failure can be replayed. */
function rng(seed: number) {
  let s = seed >>> 0;
  const next = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
  return { next, pick: <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!, int: (n: number) => Math.floor(next() * n) };
}

const SEGMENTS = ['a', 'b', 'a-b', 'a.b', 'a0', 'ä', '日本', 'z', '', 'x y', 'b%2F'];

function randomPath(r: ReturnType<typeof rng>): string {
  const depth = 1 + r.int(3);
  const parts = Array.from({ length: depth }, () => r.pick(SEGMENTS));
  const path = parts.join('/');
  return path === '' ? 'root' : path;
}

function treeHash(tree: Tree): string {
  const objects = [...tree].map(([path, content]) => ({ path, etag: `etag-${content}`, size: Buffer.byteLength(content) }));
  return updateContentHash(EMPTY_CONTENT_HASH, [], objects);
}

function modelDiff(left: Tree, right: Tree): Array<[string, string]> {
  const paths = [...new Set([...left.keys(), ...right.keys()])].sort(compareKeys);
  return paths.flatMap((p): Array<[string, string]> => {
    const [l, r] = [left.get(p), right.get(p)];
    if (l === undefined && r !== undefined) return [[p, 'added']];
    if (l !== undefined && r === undefined) return [[p, 'removed']];
    if (l !== r) return [[p, 'modified']];
    return [];
  });
}

function modelList(tree: Tree, prefix: string, delimiter: string): string[] {
  const out: string[] = [];
  for (const key of [...tree.keys()].filter((k) => k.startsWith(prefix)).sort(compareKeys)) {
    const at = delimiter ? key.indexOf(delimiter, prefix.length) : -1;
    const item = at >= 0 ? `P:${key.slice(0, at + delimiter.length)}` : `K:${key}`;
    if (out[out.length - 1] !== item) out.push(item);
  }
  return out;
}

async function listAll(db: Db, view: View, prefix: string, delimiter: string, pageSize: number): Promise<string[]> {
  const out: string[] = [];
  let cursor: string | null = null;
  for (let pages = 0; pages < 1000; pages++) {
    const page = await reads.listObjects(db, view, { prefix, delimiter, cursor, limit: pageSize });
    out.push(...page.items.map((i: ListItem) => `${i.type === 'prefix' ? 'P' : 'K'}:${i.path}`));
    if (!page.hasMore) return out;
    cursor = page.next;
  }
  throw new Error('listing did not end');
}

async function diffAll(db: Db, repoId: string, left: number, right: number, pageSize: number) {
  const out: Array<[string, string]> = [];
  let after: string | null = null;
  for (;;) {
    const page = await diffs.diffCommits(db, repoId, left, right, { after, limit: pageSize });
    out.push(...page.items.map((d): [string, string] => [d.path, d.status]));
    if (!page.hasMore) return out;
    after = page.next;
  }
}

forEachBackend(t, 'a randomized history of 200 commits agrees with the brute-force model', async (t, db) => {
  const r = rng(20261122);
  const repo = await newRepository(db);
  const trees: Tree[] = [new Map()];
  const hashes: string[] = [repo.contentHash];
  const touched: Array<Set<string>> = [new Set()]; // paths each commit wrote a version of or deleted
  for (let seq = 1; seq <= 200; seq++) {
    const tree = new Map(trees[seq - 1]);
    const changes = Array.from({ length: 1 + r.int(4) }, () => {
      const path = randomPath(r);
      const content = r.next() < 0.3 ? null : `v${r.int(5)}`;
      return { path, content };
    });
    const session = await sessions.openSession(db, repo.id);
    await sessions.stageChanges(db, session.id, changes.map((c) => ({ path: c.path, object: c.content === null ? null : objectFor(c.content) })));
    touched.push(new Set(changes.filter((c) => c.content !== null || tree.has(c.path)).map((c) => c.path)));
    for (const c of changes) (c.content === null ? tree.delete(c.path) : tree.set(c.path, c.content));
    const commit = await commitSession(db, session.id, { message: `#${seq}` });
    trees.push(tree);
    hashes.push(commit.contentHash);
  }
  let hashMismatches = 0;
  trees.forEach((tree, seq) => { if (treeHash(tree) !== hashes[seq]) hashMismatches++; });
  t.equal(hashMismatches, 0, 'every incremental content_hash equals the hash recomputed from scratch');

  for (let i = 0; i < 25; i++) {
    const [a, b] = [r.int(201), r.int(201)];
    const got = await diffAll(db, repo.id, a, b, 1 + r.int(7));
    t.same(got, modelDiff(trees[a]!, trees[b]!), `diff ${a}..${b}`);
    t.equal(hashes[a] === hashes[b], modelDiff(trees[a]!, trees[b]!).length === 0, `equal content hash iff equal content (${a}, ${b})`);
  }

  for (let i = 0; i < 40; i++) {
    const seq = r.int(201);
    const prefix = r.pick(['', 'a', 'a/', 'ä/', '日本/', 'b/a', 'zz']);
    const delimiter = r.pick(['/', '', 'a', '/b']);
    const pageSize = 1 + r.int(6);
    const view: View = seq === 200 && r.next() < 0.5 ? { repoId: repo.id, seq: 'head' } : { repoId: repo.id, seq };
    t.same(await listAll(db, view, prefix, delimiter, pageSize), modelList(trees[seq]!, prefix, delimiter),
      `list @${seq} prefix=${JSON.stringify(prefix)} delimiter=${JSON.stringify(delimiter)} page=${pageSize}`);
  }

  const logPage = await history.log(db, repo.id, { limit: 1000, prefix: '日本/' });
  const touching = touched.flatMap((paths, seq) => ([...paths].some((p) => p.startsWith('日本/')) ? [seq] : []));
  t.same(logPage.items.map((c) => c.seq), touching.reverse(), 'log filtered by prefix lists exactly the commits touching it');
});

forEachBackend(t, 'a session view overlays its base commit and agrees with the model', async (t, db) => {
  const r = rng(7);
  const repo = await newRepository(db);
  const base: Tree = new Map();
  const seed = await sessions.openSession(db, repo.id);
  const seeded = Array.from({ length: 60 }, () => ({ path: randomPath(r), content: `s${r.int(3)}` }));
  await sessions.stageChanges(db, seed.id, seeded.map((c) => ({ path: c.path, object: objectFor(c.content) })));
  for (const c of seeded) base.set(c.path, c.content);
  await commitSession(db, seed.id, { message: 'seed' });

  const session = await sessions.openSession(db, repo.id);
  const view: Tree = new Map(base);
  const staged = Array.from({ length: 30 }, () => ({ path: randomPath(r), content: r.next() < 0.4 ? null : `n${r.int(3)}` }));
  await sessions.stageChanges(db, session.id, staged.map((c) => ({ path: c.path, object: c.content === null ? null : objectFor(c.content) })));
  for (const c of staged) (c.content === null ? view.delete(c.path) : view.set(c.path, c.content));
  await commitChanges2(db, repo.id); // a later commit elsewhere must not leak into the session's view

  const sessionView: View = { repoId: repo.id, seq: session.baseSeq, sessionId: session.id };
  for (const [prefix, delimiter, size] of [['', '/', 3], ['', '', 4], ['a/', '/', 2], ['ä/', '', 1], ['', 'a', 5]] as const) {
    t.same(await listAll(db, sessionView, prefix, delimiter, size), modelList(view, prefix, delimiter),
      `session list prefix=${JSON.stringify(prefix)} delimiter=${JSON.stringify(delimiter)}`);
  }
  const sessionDiff = await diffs.diffSession(db, repo.id, session.id, session.baseSeq, { limit: 1000 });
  t.same(sessionDiff.items.map((d) => [d.path, d.status]), modelDiff(base, view), 'session diff against its base');
});

async function commitChanges2(db: Db, repoId: string): Promise<void> {
  const s = await sessions.openSession(db, repoId);
  await sessions.stagePut(db, s.id, 'zz-later', objectFor('later'));
  await commitSession(db, s.id, { message: 'later' });
}
