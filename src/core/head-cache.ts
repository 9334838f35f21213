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
// Listing pages are cached on PostgreSQL too, under the head they were read at rather than
// emptied by notifications: there a request's repository row comes from the catalog, so its
// head was the latest commit during the request, and a page listed once that head was
// reached holds what was latest during any request that still finds that head. A commit moves
// the head, and the next walk reads new pages.
import type { Db, ObjectEntry, Repository } from '../catalog/index.js';
import { Memo } from './memo.js';

export const REPOSITORY_CHANGED_CHANNEL = 'trove_repository_changed';
const REPOSITORIES = 'repositories';
const PAGE_TTL_MS = 10_000;

export class HeadCache {
  private readonly memo = new Memo(60_000, 50_000);
  // A page is up to 1,000 entries (about a megabyte in memory): few are kept, and only while
  // they are walked again soon; the sweep gives their memory back when they are not.
  private readonly pages = new Memo(PAGE_TTL_MS, 32);
  private sweeper: NodeJS.Timeout | null = null;
  private unlisten: (() => Promise<void>) | null = null;

  /**
   * `enabled`: repository rows, entries and pages are kept, emptied by notifications (PGlite);
   * `pagesByHead`: only pages are kept, by the head they were read at (PostgreSQL).
   */
  private constructor(readonly enabled: boolean, private readonly pagesByHead = false) {}

  static async attach(db: Db): Promise<HeadCache> {
    const cache = new HeadCache(db.kind === 'pglite', true);
    cache.sweeper = setInterval(() => cache.pages.sweep(), PAGE_TTL_MS).unref();
    if (!cache.enabled) return cache;
    cache.unlisten = await db.listen(REPOSITORY_CHANGED_CHANNEL, (event) => {
      if (event.kind !== 'notify') return;
      const [repoId = '', kind] = event.payload.split(':');
      cache.memo.clearGroup(repoId);
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

  /**
   * A page of the latest listing, by its options; shared by every caller, so never modified.
   * `headSeq` is the head of the repository row this request read.
   */
  page<T>(repoId: string, headSeq: number, options: string, load: () => Promise<T>): Promise<T> {
    if (this.enabled) return this.pages.get(repoId, options, load);
    return this.pagesByHead ? this.pages.get(repoId, `${headSeq}:${options}`, load) : load();
  }

  async close(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    this.memo.clear();
    this.pages.clear();
    await this.unlisten?.();
    this.unlisten = null;
  }
}
