// On the embedded catalog, each repository's row, the latest version of its paths and the
// latest listing pages as reads find them, kept in memory: a HEAD or GET of a hot object, or a
// page of a listing walked again, then costs no catalog query at all.
//
// Why it stays exact: one process owns an embedded catalog (the data directory is locked), and
// every change to a repository row — each commit moves its head — notifies this process before
// the statement that made it returns (migration 0003, trigger repositories_changed). A commit
// empties that repository's entries and pages; any other change to the row (name, visibility, deletion)
// also empties the cached repository rows. So a read that starts after a write was
// acknowledged always sees it. Cached rows keep the head fields (headSeq, headCommitId,
// contentHash, objectCount, totalSize) of when they were read: what needs them current reads
// them from the catalog, as commits do under the repository lock. With PostgreSQL several processes
// share the catalog and none would hear another's commits in time: there repository rows and
// entries are not cached, and every read of them consults the catalog.
//
// Listing pages are cached on both, under the head they were read at: on PostgreSQL a request's
// repository row comes from the catalog, so its head was the latest commit during the request;
// on PGlite the current head is kept like the entries (emptied by the same notification). A
// page listed once that head was reached holds what was latest during any request that still
// finds that head. A commit moves the head; a page from an earlier head is carried over to the
// new one when no path changed in between could change it (one query on the changes since,
// far cheaper than the page), so after a commit a walk reads again only the pages the commit
// touched.
import type { Db, ObjectEntry, Repository } from '../catalog/index.js';
import { Memo } from './memo.js';

export const REPOSITORY_CHANGED_CHANNEL = 'trove_repository_changed';
const REPOSITORIES = 'repositories';
const PAGE_TTL_MS = 10_000;
/** Pages remembered to be carried over to a later head: the last one read of each listing. */
const MAX_CARRIED_PAGES = 32;

/** Whether a page read at head `seq` is still what the current head would list. */
export type StillCurrent<T> = (page: T, seq: number) => Promise<boolean>;

export class HeadCache {
  private readonly memo = new Memo(60_000, 50_000);
  /** Each repository's current head seq (PGlite): exact, as it is emptied with the entries. */
  private readonly heads = new Memo(60_000, 10_000);
  // A page is up to 1,000 entries (about a megabyte in memory): few are kept, and only while
  // they are walked again soon; the sweep gives their memory back when they are not.
  private readonly pages = new Memo(PAGE_TTL_MS, 32);
  private readonly lastPages = new Map<string, { seq: number; page: unknown; at: number }>();
  private sweeper: NodeJS.Timeout | null = null;
  private unlisten: (() => Promise<void>) | null = null;

  /**
   * `enabled`: repository rows, entries and heads are kept, emptied by notifications (PGlite);
   * `keepsPages`: pages are kept, by the head they were read at (both; off only when disabled).
   */
  private constructor(readonly enabled: boolean, private readonly keepsPages: boolean) {}

  static async attach(db: Db): Promise<HeadCache> {
    const cache = new HeadCache(db.kind === 'pglite', true);
    cache.sweeper = setInterval(() => cache.sweep(), PAGE_TTL_MS).unref();
    if (!cache.enabled) return cache;
    cache.unlisten = await db.listen(REPOSITORY_CHANGED_CHANNEL, (event) => {
      if (event.kind !== 'notify') return;
      const [repoId = '', kind] = event.payload.split(':');
      cache.memo.clearGroup(repoId);
      cache.heads.clearGroup(repoId);
      cache.pages.clearGroup(repoId);
      if (kind !== 'head') cache.memo.clearGroup(REPOSITORIES);
    });
    return cache;
  }

  static disabled(): HeadCache {
    return new HeadCache(false, false);
  }

  /**
   * A repository row by organization and name (soft-deleted ones included, as the loader returns
   * them); its head fields may be behind (see above).
   */
  repository(orgId: string, name: string, load: () => Promise<Repository>): Promise<Repository> {
    return this.enabled ? this.memo.get(REPOSITORIES, `${orgId}/${name}`, load) : load();
  }

  /** The live version of a path, or null. */
  entry(repoId: string, path: string, load: () => Promise<ObjectEntry | null>): Promise<ObjectEntry | null> {
    return this.enabled ? this.memo.get(repoId, path, load) : load();
  }

  /** The repository's current head seq: kept until a commit is heard (PGlite), else read. */
  headSeq(repoId: string, read: () => Promise<number>): Promise<number> {
    return this.enabled ? this.heads.get(repoId, 'head', read) : read();
  }

  /**
   * A page of the latest listing at head `headSeq` (current during this request), by its
   * options; shared by every caller, so never modified. A page of the same listing read at an
   * earlier head is reused when `stillCurrent` says the commits since leave it as it was.
   */
  page<T>(repoId: string, headSeq: number, options: string, load: () => Promise<T>, stillCurrent?: StillCurrent<T>): Promise<T> {
    if (!this.keepsPages) return load();
    return this.pages.get(repoId, `${headSeq}:${options}`, async () => {
      const key = `${repoId}\0${options}`;
      const last = this.lastPages.get(key);
      const carried = last && last.seq < headSeq && stillCurrent && (await stillCurrent(last.page as T, last.seq));
      const page = carried ? (last.page as T) : await load();
      this.rememberPage(key, headSeq, page);
      return page;
    });
  }

  private rememberPage(key: string, seq: number, page: unknown): void {
    const last = this.lastPages.get(key);
    if (last && last.seq > seq) return; // a request that read an older head finished late
    this.lastPages.delete(key); // re-inserted: Map order is the recency order
    if (this.lastPages.size >= MAX_CARRIED_PAGES) this.lastPages.delete(this.lastPages.keys().next().value!);
    this.lastPages.set(key, { seq, page, at: Date.now() });
  }

  private sweep(now = Date.now()): void {
    this.pages.sweep(now);
    for (const [key, last] of this.lastPages) if (last.at + PAGE_TTL_MS <= now) this.lastPages.delete(key);
  }

  async close(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    this.memo.clear();
    this.heads.clear();
    this.pages.clear();
    this.lastPages.clear();
    await this.unlisten?.();
    this.unlisten = null;
  }
}
