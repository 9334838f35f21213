// Diffs for the REST door: between two commits, or a session and its base, optionally rolled
// up by a delimiter the way listings are (each common prefix once). A rolled-up prefix is
// skipped with a fresh seek past it, so a page costs O(its own entries), however many changes
// a prefix hides.
import { commonPrefixOf, diffs, type DiffEntry, type Page, type Repository, type Session } from '../catalog/index.js';
import type { Services } from './services.js';

export type DiffItem = ({ type: 'object' } & DiffEntry) | { type: 'prefix'; path: string };

export interface DiffRequest {
  /** Commits by sequence number, or a session against its base. */
  between: { left: number; right: number } | { session: Session };
  prefix?: string;
  delimiter?: string;
  after: string | null;
  limit: number;
}

// Paths are at most 1024 bytes of UTF-8, so this sorts after every path that starts with a
// given prefix (U+10FFFF is the greatest code point): `path > prefix + PAST` skips them all.
const PAST = '\u{10FFFF}'.repeat(257);

export async function diff(services: Services, repo: Repository, req: DiffRequest): Promise<Page<DiffItem>> {
  const delimiter = req.delimiter ?? '';
  const prefix = req.prefix ?? '';
  const page = (after: string | null, limit: number) => {
    const opts = { after, limit, ...(prefix ? { prefix } : {}) };
    return 'session' in req.between
      ? diffs.diffSession(services.db, repo.id, req.between.session.id, req.between.session.baseSeq, opts)
      : diffs.diffCommits(services.db, repo.id, req.between.left, req.between.right, opts);
  };
  if (!delimiter) {
    const flat = await page(req.after, req.limit);
    return { ...flat, items: flat.items.map((d) => ({ type: 'object' as const, ...d })) };
  }
  const items: DiffItem[] = [];
  // A cursor that is itself a rolled-up prefix resumes past everything under it.
  let after = req.after && commonPrefixOf(req.after, prefix, delimiter) === req.after ? req.after + PAST : req.after;
  for (;;) {
    const batch = await page(after, req.limit + 1 - items.length);
    let restarted = false;
    for (const d of batch.items) {
      const rolledUp = commonPrefixOf(d.path, prefix, delimiter);
      items.push(rolledUp ? { type: 'prefix', path: rolledUp } : { type: 'object', ...d });
      if (items.length > req.limit) break;
      if (rolledUp) {
        after = rolledUp + PAST;
        restarted = true;
        break;
      }
      after = d.path;
    }
    if (items.length > req.limit || (!restarted && !batch.hasMore)) break;
  }
  const hasMore = items.length > req.limit;
  const shown = items.slice(0, req.limit);
  return { items: shown, hasMore, next: hasMore ? shown[shown.length - 1]!.path : null };
}
