// Row shapes the catalog returns. Plain data: no behaviour, no HTTP.

export type PrincipalType = 'user' | 'role' | 'agent' | 'group';
export type ActorType = 'user' | 'role' | 'agent';

/** Who did something: recorded on commits, sessions, keys. */
export interface Actor {
  type: ActorType;
  id: string;
  name: string;
}

export type Checksums = Partial<Record<'CRC32' | 'CRC32C' | 'CRC64NVME' | 'SHA1' | 'SHA256', string>>;

/** What describes one object version, wherever it is kept (entry or staged change). */
export interface ObjectData {
  address: string;
  size: number;
  etag: string;
  contentType: string;
  userMetadata: Record<string, string>;
  /** Content-Disposition, Content-Encoding, Content-Language, Cache-Control, Expires. */
  httpHeaders: Record<string, string>;
  checksums: Checksums;
  sourceMetadata: Record<string, unknown> | null;
}

export interface ObjectEntry extends ObjectData {
  path: string;
  lastModified: Date;
  /** Sequence number of the commit that wrote this version (0 for a staged one). */
  fromSeq: number;
  toSeq: number | null;
  /** True when the entry is a staged change of the session being read. */
  staged: boolean;
}

export interface Organization {
  id: string;
  name: string;
  displayName: string;
  status: string;
  createdAt: Date;
}

export interface Repository {
  id: string;
  orgId: string;
  name: string;
  description: string;
  visibility: 'private' | 'public';
  retentionDays: number;
  sessionMaxDurationDays: number | null;
  createdByType: string | null;
  createdBy: string | null;
  createdAt: Date;
  deletedAt: Date | null;
  headSeq: number;
  headCommitId: string;
  contentHash: string;
  objectCount: number;
  totalSize: number;
}

export interface Commit {
  repoId: string;
  seq: number;
  id: string;
  parentId: string | null;
  message: string;
  metadata: Record<string, string>;
  committer: Actor | null;
  approver: Actor | null;
  sessionId: string | null;
  contentHash: string;
  objectCount: number;
  totalSize: number;
  changeCount: number;
  createdAt: Date;
}

export type SessionStatus = 'open' | 'pending_approval' | 'committed' | 'rolled_back';

export interface Session {
  id: string;
  repoId: string;
  baseSeq: number;
  status: SessionStatus;
  owner: Actor | null;
  needsApproval: boolean;
  message: string | null;
  metadata: Record<string, string> | null;
  commitId: string | null;
  createdAt: Date;
  expiresAt: Date | null;
  endedAt: Date | null;
}

/** A staged put carries object data; a staged delete carries none. */
export interface StagedChange {
  path: string;
  object: ObjectData | null;
  stagedAt: Date;
}

export type DiffStatus = 'added' | 'modified' | 'removed';

export interface DiffEntry {
  path: string;
  status: DiffStatus;
  /** The right side's version, or the left side's for `removed`. */
  entry: ObjectEntry;
}

/** A page of a keyset-paginated list: `next` is the cursor to pass back, set iff hasMore. */
export interface Page<T> {
  items: T[];
  hasMore: boolean;
  next: string | null;
}
