// History through REST (API-CONTRACT §2.5): commits by id or prefix, revert (201, 400 for the
// root, 409 after a later change), the log across pages with after, ref, prefix and object,
// and diffs (commits, a root commit without left, a session, a delimiter) across pages.
import t from 'tap';
import { forEachBackend } from '../helpers/catalog.js';
import { buildTestApp } from '../helpers/app.js';
import { allPages, commitFiles, createRepo, isError, memberWith, openSession, stage, unique } from './fixtures.js';

const UNKNOWN = 'f'.repeat(64);

forEachBackend(t, 'commits, revert and the log', async (t, db) => {
  const env = await buildTestApp(t, db);
  const { app, auth } = env;
  const s = unique();
  const R = await createRepo(app, auth, `log-${s}`);
  const ids: string[] = [];
  for (const n of [1, 2, 3, 4, 5]) ids.push(await commitFiles(app, R, auth, { [`f${n}.txt`]: `v${n}`, ...(n % 2 ? { 'odd.txt': `odd ${n}` } : {}) }, `commit ${n}`));
  const root = (await app.inject({ method: 'GET', url: `${R}/log?amount=1000`, headers: auth })).json().results.at(-1);
  t.equal(root.message, 'Repository created');
  t.same(root.parents, [], 'the root commit has no parent');

  let res = await app.inject({ method: 'GET', url: `${R}/commits/${ids[2]}`, headers: auth });
  t.match(res.json(), { id: ids[2], message: 'commit 3', committer: 'admin', committer_type: 'user', parents: [ids[1]], metadata: {}, is_stale: false });
  t.ok(!Number.isNaN(Date.parse(res.json().creation_date)));
  t.equal((await app.inject({ method: 'GET', url: `${R}/commits/${ids[2]!.slice(0, 8)}`, headers: auth })).json().id, ids[2], 'a prefix of 8 finds it');
  isError(t, await app.inject({ method: 'GET', url: `${R}/commits/${UNKNOWN}`, headers: auth }), 404, 'NOT_FOUND', 'an unknown commit');
  isError(t, await app.inject({ method: 'GET', url: `${R}/commits/not-hex`, headers: auth }), 404, 'NOT_FOUND', 'a ref that is no commit id');
  const nobody = await memberWith(env, `nobody-${s}`, 'GetRepository()\n');
  isError(t, await app.inject({ method: 'GET', url: `${R}/commits/${ids[2]}`, headers: nobody.auth }), 403, 'FORBIDDEN', 'a commit without GetObject');

  // The log, newest first, two at a time, fed back with after.
  let pages = await allPages<{ id: string; message: string }>(t, app, `${R}/log`, auth, 2);
  t.same(pages.results.map((c) => c.id), [...ids].reverse().concat(root.id), 'every commit once, newest first');
  t.equal(pages.pages, 3);
  pages = await allPages(t, app, `${R}/log?ref=${ids[2]}`, auth, 2);
  t.same(pages.results.map((c) => c.message), ['commit 3', 'commit 2', 'commit 1', 'Repository created'], 'from a ref');
  pages = await allPages(t, app, `${R}/log?object=odd.txt`, auth, 1);
  t.same(pages.results.map((c) => c.message), ['commit 5', 'commit 3', 'commit 1'], 'the commits touching one object');
  pages = await allPages(t, app, `${R}/log?prefix=f4`, auth, 100);
  t.same(pages.results.map((c) => c.message), ['commit 4'], 'the commits touching a prefix');
  isError(t, await app.inject({ method: 'GET', url: `${R}/log?ref=${UNKNOWN}`, headers: auth }), 404, 'NOT_FOUND', 'the log from an unknown ref');
  isError(t, await app.inject({ method: 'GET', url: `${R}/log?amount=-3`, headers: auth }), 400, 'BAD_REQUEST', 'a negative amount');
  isError(t, await app.inject({ method: 'GET', url: `${R}/log`, headers: nobody.auth }), 403, 'FORBIDDEN', 'the log without ListObjects');

  // Revert: commit 4 touched only f4.txt, nothing later did.
  res = await app.inject({ method: 'POST', url: `${R}/commits/${ids[3]}/revert`, headers: auth });
  t.equal(res.statusCode, 201, 'a bodiless revert');
  const revert = (await app.inject({ method: 'GET', url: `${R}/commits/${res.json().commit_id}`, headers: auth })).json();
  t.equal(revert.message, 'Revert "commit 4"', 'the default message');
  t.equal(revert.metadata.reverted_commit, ids[3]);
  t.equal((await app.inject({ method: 'GET', url: `${R}/object?path=f4.txt`, headers: auth })).statusCode, 404, 'the revert undid the change');
  res = await app.inject({ method: 'POST', url: `${R}/commits/${ids[1]}/revert`, headers: auth, payload: { message: 'undo 2', metadata: { why: 'test' } } });
  t.equal(res.statusCode, 201);
  t.match((await app.inject({ method: 'GET', url: `${R}/commits/${res.json().commit_id}`, headers: auth })).json(), { message: 'undo 2', metadata: { why: 'test' } });
  isError(t, await app.inject({ method: 'POST', url: `${R}/commits/${ids[0]}/revert`, headers: auth, payload: {} }), 409, 'CONFLICT', 'a later commit touched odd.txt');
  isError(t, await app.inject({ method: 'POST', url: `${R}/commits/${root.id}/revert`, headers: auth, payload: {} }), 400, 'BAD_REQUEST', 'the root commit');
  isError(t, await app.inject({ method: 'POST', url: `${R}/commits/${UNKNOWN}/revert`, headers: auth, payload: {} }), 404, 'NOT_FOUND', 'an unknown commit');
  isError(t, await app.inject({ method: 'POST', url: `${R}/commits/${ids[4]}/revert`, headers: auth, payload: { message: 7 } }), 400, 'BAD_REQUEST', 'a message that is no string');
  const reader = await memberWith(env, `reader-${s}`, 'GetRepository()\nListObjects()\nGetObject()\n');
  isError(t, await app.inject({ method: 'POST', url: `${R}/commits/${ids[4]}/revert`, headers: reader.auth }), 403, 'FORBIDDEN', 'without RevertCommit');
});

forEachBackend(t, 'diffs across pages, with left, without it, of a session, by delimiter', async (t, db) => {
  const { app, auth } = await buildTestApp(t, db);
  const s = unique();
  const R = await createRepo(app, auth, `dif-${s}`);
  const first = await commitFiles(app, R, auth, { 'keep.txt': 'k', 'mod.txt': 'm1', 'gone.txt': 'g', 'dir/a': 'a', 'dir/b': 'b' });
  const second = await commitFiles(app, R, auth, { 'mod.txt': 'm2', 'new.txt': 'n', 'dir/c': 'c', 'dir/sub/d': 'd' }, 'second', ['gone.txt', 'dir/a']);

  let pages = await allPages<{ path: string; status: string; type: string; entry?: { size: number } }>(t, app, `${R}/diff?left=${first}&right=${second}`, auth, 2);
  t.same(pages.results.map((d) => [d.path, d.status]), [['dir/a', 'removed'], ['dir/c', 'added'], ['dir/sub/d', 'added'], ['gone.txt', 'removed'], ['mod.txt', 'modified'], ['new.txt', 'added']]);
  t.equal(pages.pages, 3);
  t.equal(pages.results.find((d) => d.path === 'gone.txt')!.entry!.size, 1, 'a removed entry describes the left side');
  pages = await allPages(t, app, `${R}/diff?right=${first}`, auth, 100);
  t.same(pages.results.map((d) => [d.path, d.status]), [['dir/a', 'added'], ['dir/b', 'added'], ['gone.txt', 'added'], ['keep.txt', 'added'], ['mod.txt', 'added']], 'no left: from the empty tree');
  pages = await allPages(t, app, `${R}/diff?left=${first}&right=${second}&delimiter=/`, auth, 2);
  t.same(pages.results.map((d) => [d.path, d.type, d.status ?? '']), [['dir/', 'prefix', ''], ['gone.txt', 'object', 'removed'], ['mod.txt', 'object', 'modified'], ['new.txt', 'object', 'added']], 'a delimiter rolls up common prefixes');
  pages = await allPages(t, app, `${R}/diff?left=${first}&right=${second}&prefix=dir/&delimiter=/`, auth, 1);
  t.same(pages.results.map((d) => [d.path, d.type]), [['dir/a', 'object'], ['dir/c', 'object'], ['dir/sub/', 'prefix']], 'under a prefix, one page each');
  pages = await allPages(t, app, `${R}/diff?left=${first}&right=${second}&prefix=dir/`, auth, 100);
  t.same(pages.results.map((d) => d.path), ['dir/a', 'dir/c', 'dir/sub/d'], 'a prefix alone');

  const sid = await openSession(app, R, auth);
  await stage(app, R, sid, 'keep.txt', 'changed', auth);
  await stage(app, R, sid, 'staged.txt', 's', auth);
  pages = await allPages(t, app, `${R}/diff?session_id=${sid}`, auth, 1);
  t.same(pages.results.map((d) => [d.path, d.status]), [['keep.txt', 'modified'], ['staged.txt', 'added']], "a session's changes");

  isError(t, await app.inject({ method: 'GET', url: `${R}/diff?left=${first}`, headers: auth }), 400, 'BAD_REQUEST', 'no right and no session');
  isError(t, await app.inject({ method: 'GET', url: `${R}/diff?session_id=${sid}&right=${second}`, headers: auth }), 400, 'BAD_REQUEST', 'a session and a right');
  isError(t, await app.inject({ method: 'GET', url: `${R}/diff?session_id=nope`, headers: auth }), 400, 'BAD_REQUEST', 'a malformed session id');
  isError(t, await app.inject({ method: 'GET', url: `${R}/diff?right=${UNKNOWN}`, headers: auth }), 404, 'NOT_FOUND', 'an unknown right');
  isError(t, await app.inject({ method: 'GET', url: `${R}/diff?left=${UNKNOWN}&right=${second}`, headers: auth }), 404, 'NOT_FOUND', 'an unknown left');
});
