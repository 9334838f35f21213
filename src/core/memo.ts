// Memoized catalog reads, in groups that can be emptied on their own. A miss stores the
// pending load at once, so concurrent callers share it and an invalidation that arrives while
// it runs removes it: a value read before a change is never kept after the change is heard.
// Failed loads are not kept; entries expire after ttlMs; the oldest go beyond maxEntries.
interface Entry {
  value: Promise<unknown>;
  expiresAt: number;
}

export class Memo {
  private readonly groups = new Map<string, Map<string, Entry>>();
  private size = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
  ) {}

  get<T>(group: string, key: string, load: () => Promise<T>): Promise<T> {
    const now = Date.now();
    let entries = this.groups.get(group);
    const hit = entries?.get(key);
    if (hit && hit.expiresAt > now) return hit.value as Promise<T>;
    if (!entries) this.groups.set(group, (entries = new Map()));
    if (hit) this.remove(entries, key);
    if (this.size >= this.maxEntries) this.evictOne();
    const value = load();
    const entry = { value, expiresAt: now + this.ttlMs };
    entries.set(key, entry);
    this.size++;
    value.catch(() => {
      if (entries.get(key) === entry) this.remove(entries, key);
    });
    return value;
  }

  clearGroup(group: string): void {
    const entries = this.groups.get(group);
    if (!entries) return;
    this.size -= entries.size;
    this.groups.delete(group);
  }

  /** Drops expired entries now rather than when next asked for (for caches of large values). */
  sweep(now = Date.now()): void {
    for (const [group, entries] of this.groups) {
      for (const [key, entry] of entries) if (entry.expiresAt <= now) this.remove(entries, key);
      if (entries.size === 0) this.groups.delete(group);
    }
  }

  clear(): void {
    this.groups.clear();
    this.size = 0;
  }

  private remove(entries: Map<string, Entry>, key: string): void {
    if (entries.delete(key)) this.size--;
  }

  // The oldest entry of the oldest group: cheap, and good enough for a bounded cache.
  private evictOne(): void {
    for (const [group, entries] of this.groups) {
      const key = entries.keys().next();
      if (key.done) {
        this.groups.delete(group);
        continue;
      }
      this.remove(entries, key.value);
      if (entries.size === 0) this.groups.delete(group);
      return;
    }
  }
}
