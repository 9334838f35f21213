// Listings read as summaries (what S3's Contents show) agree with listings of whole entries,
// on every kind of view and with or without a delimiter.
import t from 'tap';
import { reads, sessions, type ListItem, type ListOptions, type ObjectSummary, type View } from '../../src/catalog/index.js';
import { forEachCatalog } from '../helpers/catalog.js';
import { commitChanges, newRepository, objectFor } from './fixtures.js';

function summaryOf(item: ListItem): ListItem<ObjectSummary> {
  if (item.type === 'prefix') return item;
  const { path, size, etag, checksums, lastModified, staged } = item.entry;
  return { type: 'object', path: item.path, entry: { path, size, etag, checksums, lastModified, staged } };
}

forEachCatalog(t, 'summaries are the entries of the same listing, cut to five fields', async (t, db) => {
  const repo = await newRepository(db);
  await commitChanges(db, repo.id, { 'a/1': 'x', 'a/2': 'y', 'b/1': 'z', c: 'w', 'd/e/f': 'v' });
  await commitChanges(db, repo.id, { 'a/2': 'y2', c: null, 'e/1': 'u' });
  const session = await sessions.openSession(db, repo.id);
  await sessions.stageChanges(db, session.id, [
    { path: 'a/3', object: objectFor('staged', { checksums: { CRC32: 'AAAAAA==' } }) },
    { path: 'b/1', object: null },
    { path: 'f', object: objectFor('f') },
  ]);
  const views: Array<[string, View]> = [
    ['head', { repoId: repo.id, seq: 'head' }],
    ['first commit', { repoId: repo.id, seq: 1 }],
    ['session', { repoId: repo.id, seq: session.baseSeq, sessionId: session.id }],
  ];
  const options: ListOptions[] = [
    { limit: 1000 }, { limit: 2 }, { limit: 1000, delimiter: '/' }, { limit: 1, delimiter: '/' },
    { limit: 1000, prefix: 'a/' }, { limit: 1000, prefix: 'd/', delimiter: '/' }, { limit: 1000, cursor: 'a/1' },
  ];
  for (const [name, view] of views) {
    for (const opts of options) {
      const whole = await reads.listObjects(db, view, opts);
      const summaries = await reads.listSummaries(db, view, opts);
      t.same(summaries, { ...whole, items: whole.items.map(summaryOf) }, `${name} ${JSON.stringify(opts)}`);
    }
  }
  const staged = (await reads.listSummaries(db, views[2]![1], { limit: 1000, prefix: 'a/' })).items.find((i) => i.path === 'a/3');
  t.match(staged, { type: 'object', entry: { staged: true, checksums: { CRC32: 'AAAAAA==' } } }, 'a staged object is marked, with its checksums');
  t.notOk((await reads.listSummaries(db, views[2]![1], { limit: 1000 })).items.some((i) => i.path === 'b/1'), 'a staged delete hides the key');
});

// A cached page is carried over a commit when no path the commit changed could change it
// (core/head-cache.ts). pageMayShow must never say "no" for a change that does change the page:
// every option here is listed before and after single-path commits, and a page said to be out
// of a change's reach must come out the same.
forEachCatalog(t, 'a change outside the span pageMayShow gives leaves the page as it was', async (t, db) => {
  const repo = await newRepository(db);
  const first = await commitChanges(db, repo.id, { 'a/1': 'x', 'a/2': 'y', 'b/1': 'z', 'b/2/c': 'z', c: 'w', 'd/e/f': 'v', g: 'u', 'h/i': 't' });
  const options: ListOptions[] = [
    { limit: 2 }, { limit: 3, delimiter: '/' }, { limit: 2, cursor: 'a/2' }, { limit: 1, delimiter: '/', cursor: 'a/' },
    { limit: 2, prefix: 'b/' }, { limit: 1000 }, { limit: 2, after: 'b' }, { limit: 1, prefix: 'b/', delimiter: '/' },
  ];
  const changes: Array<Record<string, string | null>> = [
    { 'a/0': 'new' }, { 'a/2': 'y2' }, { 'b/1': null }, { 'b/2/d': 'new' }, { c: null }, { 'ca': 'new' }, { 'z/9': 'new' }, { 'a/1': null }, { '0': 'new' },
  ];
  let seq = first.seq;
  let carried = 0;
  for (const change of changes) {
    const head: View = { repoId: repo.id, seq: 'head' };
    const before = await Promise.all(options.map((opts) => reads.listSummaries(db, head, opts)));
    const commit = await commitChanges(db, repo.id, change);
    const [path] = Object.keys(change) as [string];
    t.same(await reads.pathsChangedBetween(db, repo.id, seq, commit.seq, 1000), [path], `the changes after ${seq}: ${path}`);
    seq = commit.seq;
    for (const [i, opts] of options.entries()) {
      if (reads.pageMayShow(opts, before[i]!, path)) continue;
      carried++;
      t.same(await reads.listSummaries(db, head, opts), before[i], `${JSON.stringify(change)} leaves ${JSON.stringify(opts)} as it was`);
    }
  }
  t.ok(carried > 20, `most pages are out of reach of a single change (${carried})`);
  t.equal(await reads.pathsChangedBetween(db, repo.id, first.seq, seq, 3), null, 'more changes than the limit: null');
  t.same((await reads.pathsChangedBetween(db, repo.id, first.seq, seq, 1000))!.sort(), changes.map((c) => Object.keys(c)[0]!).sort());
});
