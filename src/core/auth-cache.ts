// What authentication and authorization read on every request — a key and its principal, a
// principal's organizations, its grants in one — kept in memory, so a request does not pay
// four catalog round trips before it starts its real work.
//
// Why it stays right: every change to those tables notifies every process from the changing
// transaction itself (migration 0003's triggers on channel trove_auth_changed), and a
// notification empties the cache. The writer's own process hears it before the statement
// returns on PGlite, within milliseconds on PostgreSQL; core/ also empties it right after its
// own changes, so a revoked key is refused at once by the process that revoked it. While the
// catalog's notifications cannot be heard (the listening connection dropped) nothing is
// cached at all, and every entry expires after `ttlMs` in any case.
import type { CatalogEvent, Db } from '../catalog/index.js';
import { Memo } from './memo.js';

export const AUTH_CHANGED_CHANNEL = 'trove_auth_changed';

export class AuthCache {
  private readonly memo: Memo;
  private readonly touched = new Map<string, number>();
  private live = false;
  /** How many change notifications this cache has heard (tests wait on it; a metric too). */
  notifications = 0;
  private unlisten: (() => Promise<void>) | null = null;

  constructor(
    ttlMs = 10_000,
    private readonly maxEntries = 10_000,
  ) {
    this.memo = new Memo(ttlMs, maxEntries);
  }

  /** A cache kept right by the catalog's change notifications. */
  static async attach(db: Db): Promise<AuthCache> {
    const cache = new AuthCache();
    cache.unlisten = await db.listen(AUTH_CHANGED_CHANNEL, (event) => cache.onEvent(event));
    return cache;
  }

  /** A cache that caches nothing (tools that open the catalog briefly). */
  static disabled(): AuthCache {
    return new AuthCache();
  }

  private onEvent(event: CatalogEvent): void {
    this.clear();
    if (event.kind === 'notify') this.notifications++;
    if (event.kind !== 'notify') this.live = event.kind === 'ready';
  }

  /** The cached value of `key`, or `load()`'s, shared by concurrent callers. Failures are not kept. */
  get<T>(key: string, load: () => Promise<T>): Promise<T> {
    return this.live ? this.memo.get('', key, load) : load();
  }

  /** True at most once per `intervalMs` for a name (throttles last-used bookkeeping). */
  due(name: string, intervalMs: number): boolean {
    const now = Date.now();
    const last = this.touched.get(name);
    if (last !== undefined && now - last < intervalMs) return false;
    if (this.touched.size >= this.maxEntries) this.touched.clear();
    this.touched.set(name, now);
    return true;
  }

  clear(): void {
    this.memo.clear();
  }

  async close(): Promise<void> {
    this.live = false;
    this.clear();
    await this.unlisten?.();
    this.unlisten = null;
  }
}
