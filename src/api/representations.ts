// Domain objects as the REST contract spells them (API-CONTRACT.md §1).
import type { Commit, ObjectEntry, Organization, Repository } from '../catalog/index.js';

export const repositoryJson = (r: Repository) => ({
  id: r.id,
  organization_id: r.orgId,
  name: r.name,
  description: r.description,
  visibility: r.visibility,
  retention_days: r.retentionDays,
  session_max_duration_days: r.sessionMaxDurationDays,
  created_by_type: r.createdByType,
  created_by: r.createdBy,
  created_at: r.createdAt.toISOString(),
});

export const organizationJson = (o: Organization) => ({
  id: o.id,
  name: o.name,
  display_name: o.displayName,
  status: o.status,
  created_at: o.createdAt.toISOString(),
});

export const commitJson = (c: Commit) => ({
  id: c.id,
  committer: c.committer?.name ?? '',
  committer_type: c.committer?.type ?? null,
  committer_id: c.committer?.id ?? null,
  approver: c.approver?.name ?? null,
  approver_type: c.approver?.type ?? null,
  approver_id: c.approver?.id ?? null,
  message: c.message,
  creation_date: c.createdAt.toISOString(),
  parents: c.parentId ? [c.parentId] : [],
  metadata: c.metadata,
  is_stale: false,
  object_count: c.objectCount,
  total_size: c.totalSize,
  content_hash: c.contentHash,
});

export const entryJson = (e: ObjectEntry) => ({
  last_modified: e.lastModified.toISOString(),
  size: e.size,
  e_tag: e.etag,
  metadata: e.userMetadata,
  content_type: e.contentType,
  source_metadata: e.sourceMetadata,
});

/** The pagination envelope: has_more implies a non-empty next_offset (the SDK relies on it). */
export function paginated<T>(results: T[], page: { hasMore: boolean; next: string | null }, maxPerPage: number) {
  return {
    results,
    pagination: { has_more: page.hasMore && page.next !== null, next_offset: page.next ?? '', max_per_page: maxPerPage },
  };
}
