// SQL row → domain type mappers, and the column lists they expect. Kept in one place so
// every query that returns a given type selects the same columns.
import type { Actor, ActorType, Commit, ObjectData, ObjectEntry, Repository, Session } from '../types.js';

type Row = Record<string, unknown>;

export const ENTRY_COLUMN_LIST = [
  'path', 'from_seq', 'to_seq', 'address', 'size', 'etag', 'content_type', 'user_metadata', 'http_headers', 'checksums',
  'source_metadata', 'last_modified',
] as const;
export const ENTRY_COLUMNS = ENTRY_COLUMN_LIST.join(', ');

export function toObjectData(r: Row): ObjectData {
  return {
    address: r.address as string,
    size: r.size as number,
    etag: r.etag as string,
    contentType: r.content_type as string,
    userMetadata: (r.user_metadata ?? {}) as Record<string, string>,
    httpHeaders: (r.http_headers ?? {}) as Record<string, string>,
    checksums: (r.checksums ?? {}) as ObjectData['checksums'],
    sourceMetadata: (r.source_metadata ?? null) as Record<string, unknown> | null,
  };
}

// One literal, not a spread of toObjectData: listings build a thousand of these per page.
export function toEntry(r: Row): ObjectEntry {
  return {
    address: r.address as string,
    size: r.size as number,
    etag: r.etag as string,
    contentType: r.content_type as string,
    userMetadata: (r.user_metadata ?? {}) as Record<string, string>,
    httpHeaders: (r.http_headers ?? {}) as Record<string, string>,
    checksums: (r.checksums ?? {}) as ObjectData['checksums'],
    sourceMetadata: (r.source_metadata ?? null) as Record<string, unknown> | null,
    path: r.path as string,
    lastModified: r.last_modified as Date,
    fromSeq: r.from_seq as number,
    toSeq: (r.to_seq ?? null) as number | null,
    staged: false,
  };
}

/** A staged put read through a session view. */
export function stagedToEntry(r: Row): ObjectEntry {
  return { ...toObjectData(r), path: r.path as string, lastModified: r.staged_at as Date, fromSeq: 0, toSeq: null, staged: true };
}

function actor(type: unknown, id: unknown, name: unknown): Actor | null {
  if (!type || !id) return null;
  return { type: type as ActorType, id: id as string, name: (name ?? '') as string };
}

export function toRepository(r: Row): Repository {
  return {
    id: r.id as string,
    orgId: r.org_id as string,
    name: r.name as string,
    description: r.description as string,
    visibility: r.visibility as Repository['visibility'],
    retentionDays: r.retention_days as number,
    sessionMaxDurationDays: (r.session_max_duration_days ?? null) as number | null,
    createdByType: (r.created_by_type ?? null) as string | null,
    createdBy: (r.created_by ?? null) as string | null,
    createdAt: r.created_at as Date,
    deletedAt: (r.deleted_at ?? null) as Date | null,
    headSeq: r.head_seq as number,
    headCommitId: r.head_commit_id as string,
    contentHash: r.content_hash as string,
    objectCount: r.object_count as number,
    totalSize: r.total_size as number,
  };
}

export function toCommit(r: Row): Commit {
  return {
    repoId: r.repo_id as string,
    seq: r.seq as number,
    id: r.id as string,
    parentId: (r.parent_id ?? null) as string | null,
    message: r.message as string,
    metadata: (r.metadata ?? {}) as Record<string, string>,
    committer: actor(r.committer_type, r.committer_id, r.committer_name),
    approver: actor(r.approver_type, r.approver_id, r.approver_name),
    sessionId: (r.session_id ?? null) as string | null,
    contentHash: r.content_hash as string,
    objectCount: r.object_count as number,
    totalSize: r.total_size as number,
    changeCount: r.change_count as number,
    createdAt: r.created_at as Date,
  };
}

export function toSession(r: Row): Session {
  return {
    id: r.id as string,
    repoId: r.repo_id as string,
    baseSeq: r.base_seq as number,
    status: r.status as Session['status'],
    owner: actor(r.owner_type, r.owner_id, r.owner_name),
    needsApproval: r.needs_approval as boolean,
    message: (r.message ?? null) as string | null,
    metadata: (r.metadata ?? null) as Record<string, string> | null,
    commitId: (r.commit_id ?? null) as string | null,
    createdAt: r.created_at as Date,
    expiresAt: (r.expires_at ?? null) as Date | null,
    endedAt: (r.ended_at ?? null) as Date | null,
  };
}

/** Parameters for inserting ObjectData, in the order of OBJECT_DATA_COLUMNS. */
export const OBJECT_DATA_COLUMNS =
  'address, size, etag, content_type, user_metadata, http_headers, checksums, source_metadata';

export function objectDataParams(o: ObjectData): unknown[] {
  return [o.address, o.size, o.etag, o.contentType, o.userMetadata, o.httpHeaders, o.checksums, o.sourceMetadata];
}
