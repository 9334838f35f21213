// Objects as both front doors see them: read at a commit or in a session, written either
// straight into a new commit (plain credentials) or staged in a session (session
// credentials). Bytes always reach the blob store before the catalog names them, so a failed
// or interrupted write leaves at most an unreferenced blob for the garbage collector.
import type { Readable } from 'node:stream';
import type { BlobBody } from '../blobstore/blob-store.js';
import type { ChecksumAlgorithm, Checksums } from '../blobstore/checksums.js';
import {
  commitChanges, reads, repositories, sessions, type Actor, type Change, type Commit, type ListItem, type ListOptions,
  type ObjectData, type ObjectEntry, type ObjectSummary, type Page, type Queryable, type Repository, type Session, type View,
} from '../catalog/index.js';
import { ForbiddenError, NotFoundError, PreconditionFailedError } from '../errors.js';
import { openBlobRange, type ByteRange } from './blob-reader.js';
import { storeBlob } from './blob-writer.js';
import { repositoryByName } from './repositories.js';
import type { Services } from './services.js';

/** Where a request reads and writes. */
export interface Target {
  repo: Repository;
  /** A commit to read (time travel: read-only), or 'head'. */
  seq: number | 'head';
  /** Session credentials: reads see the session's view, writes are staged in it. */
  session: Session | null;
}

export function viewOf(target: Target): View {
  if (target.session) return { repoId: target.repo.id, seq: target.session.baseSeq, sessionId: target.session.id };
  return { repoId: target.repo.id, seq: target.seq };
}

export async function getObject(services: Services, target: Target, path: string): Promise<ObjectEntry> {
  const view = viewOf(target);
  const read = () => reads.getObject(services.db, view, path);
  return found(await (view.seq === 'head' && !view.sessionId ? services.headCache.entry(view.repoId, path, read) : read()), path);
}

/** The entry a read found, or the NotFoundError of a path with no object. */
export function found(entry: ObjectEntry | null, path: string): ObjectEntry {
  if (!entry) throw new NotFoundError('object', `no object at ${path}`);
  return entry;
}

/**
 * The repository `orgId/name` and the latest version of `path` in it (null when there is
 * none), as a plain GET or HEAD needs them: from the head cache where it is on, else in one
 * catalog round trip instead of two. The caller authorizes before it uses the entry.
 */
export async function repositoryAndLatest(services: Services, orgId: string, name: string, path: string): Promise<{ repo: Repository; entry: ObjectEntry | null }> {
  if (!services.headCache.enabled) return reads.getRepositoryAndLatest(services.db, orgId, name, path);
  const repo = await repositoryByName(services, orgId, name);
  const entry = await services.headCache.entry(repo.id, path, () => reads.getObject(services.db, { repoId: repo.id, seq: 'head' }, path));
  return { repo, entry };
}

/** A page of the target's view; callers only read it (the latest pages are shared, cached). */
export function listObjects(services: Services, target: Target, opts: ListOptions): Promise<Page<ListItem>> {
  return cachedPage(services, target, opts, 'entries', (view) => reads.listObjects(services.db, view, opts));
}

/** listObjects with each object's summary only (what S3's listings show), at half the catalog's cost. */
export function listSummaries(services: Services, target: Target, opts: ListOptions): Promise<Page<ListItem<ObjectSummary>>> {
  return cachedPage(services, target, opts, 'summaries', (view) => reads.listSummaries(services.db, view, opts));
}

/** Past this many changed paths a page is read again rather than checked against each. */
const MAX_CHANGES_CHECKED = 1000;

async function cachedPage<T extends Page<ListItem<ObjectSummary>>>(services: Services, target: Target, opts: ListOptions, shape: string, read: (view: View) => Promise<T>): Promise<T> {
  const view = viewOf(target);
  if (view.seq !== 'head' || view.sessionId) return read(view);
  const key = JSON.stringify([shape, opts.prefix ?? '', opts.delimiter ?? '', opts.after ?? null, opts.cursor ?? null, opts.limit]);
  // On PostgreSQL the request's repository row was read from the catalog: its head is current.
  // On PGlite the row may be cached from before the last commit, so the head is asked for.
  const headSeq = services.headCache.enabled
    ? await services.headCache.headSeq(view.repoId, async () => (await repositories.getRepositoryById(services.db, view.repoId)).headSeq)
    : target.repo.headSeq;
  const stillCurrent = async (page: T, seq: number) => {
    const changed = await reads.pathsChangedBetween(services.db, view.repoId, seq, headSeq, MAX_CHANGES_CHECKED);
    return changed !== null && !changed.some((path) => reads.pageMayShow(opts, page, path));
  };
  return services.headCache.page(view.repoId, headSeq, key, () => read(view), stillCurrent);
}

export { partOf } from './blob-reader.js';

export function openObject(services: Services, entry: ObjectEntry, range?: ByteRange): Promise<Readable> {
  return openBlobRange(services, entry, range);
}

/** A conditional write (If-None-Match: * / If-Match), checked atomically with the write. */
export interface WriteCondition {
  ifNoneMatch?: '*';
  ifMatch?: string;
}

export interface WriteRequest {
  path: string;
  body: BlobBody;
  /** The size the client announced; a different number of bytes fails the write. */
  size?: number;
  contentType: string;
  userMetadata: Record<string, string>;
  httpHeaders: Record<string, string>;
  /** Checksums to compute while streaming (MD5 always is). */
  checksumAlgorithms: ChecksumAlgorithm[];
  /** Called once the bytes are stored, before anything is visible: throw to refuse them. */
  verify?: (stored: ObjectData) => void | Promise<void>;
  /** Of the checksums computed (for `verify`), those to keep with the object; default all. */
  keepChecksums?: (computed: Checksums) => Checksums;
  condition?: WriteCondition;
  sourceMetadata?: Record<string, unknown> | null;
}

export interface WriteResult {
  object: ObjectData;
  /** Set when the write was committed directly; null when it was staged in a session. */
  commit: Commit | null;
}

export async function writeObject(services: Services, target: Target, actor: Actor, req: WriteRequest): Promise<WriteResult> {
  assertWritable(target);
  const stored = await storeBlob(services, req.body, { checksums: req.checksumAlgorithms, expectedSize: req.size });
  const object: ObjectData = {
    address: stored.address,
    size: stored.size,
    etag: stored.md5Hex,
    contentType: req.contentType,
    userMetadata: req.userMetadata,
    httpHeaders: req.httpHeaders,
    checksums: stored.checksums,
    sourceMetadata: req.sourceMetadata ?? null,
  };
  await req.verify?.(object);
  if (req.keepChecksums) object.checksums = req.keepChecksums(object.checksums);
  const commit = await applyChanges(services, target, actor, [{ path: req.path, object }], `Put ${req.path}`, {
    conditions: { [req.path]: req.condition },
  });
  return { object, commit };
}

export interface ApplyOptions {
  /** Conditional writes, per path, checked atomically with the change. */
  conditions?: Record<string, WriteCondition | undefined>;
  /** More catalog work that must land in the same transaction (completing an upload). */
  inTx?: (tx: Queryable) => Promise<void>;
}

/** Stores already-described objects (copies, assembled uploads) and deletes, as one change. */
export async function applyChanges(
  services: Services,
  target: Target,
  actor: Actor,
  changes: Change[],
  message: string,
  opts: ApplyOptions = {},
): Promise<Commit | null> {
  assertWritable(target);
  const conditions = Object.entries(opts.conditions ?? {}).filter((e): e is [string, WriteCondition] => e[1] !== undefined);
  const before = async (q: Queryable, view: View) => {
    for (const [path, condition] of conditions) checkCondition(condition, await reads.getObject(q, view, path));
    await opts.inTx?.(q);
  };
  const session = target.session;
  if (session) {
    await services.db.withTx(async (tx) => {
      await sessions.lockSession(tx, session.id, 'FOR SHARE');
      await before(tx, viewOf(target));
      await sessions.stageInTx(tx, session.id, changes);
    });
    return null;
  }
  return commitChanges(services.db, target.repo.id, changes, {
    message,
    committer: actor,
    ...(conditions.length > 0 || opts.inTx ? { check: (tx: Queryable) => before(tx, { repoId: target.repo.id, seq: 'head' }) } : {}),
  });
}

function assertWritable(target: Target): void {
  if (target.seq !== 'head' && !target.session) throw new ForbiddenError('a past commit is read-only');
}

export function checkCondition(condition: WriteCondition, current: ObjectEntry | null): void {
  if (condition.ifNoneMatch === '*' && current) throw new PreconditionFailedError('the object already exists');
  if (condition.ifMatch !== undefined) {
    // As S3 answers a conditional write: no object to match is NoSuchKey, a different one 412.
    if (!current) throw new NotFoundError('object', 'If-Match names an object that does not exist');
    const wanted = condition.ifMatch.replace(/^W\//, '').replaceAll('"', '');
    if (wanted !== '*' && wanted !== current.etag) throw new PreconditionFailedError('the object does not match If-Match');
  }
}

/** Deletes paths in one commit (or stages the deletes); returns the paths that existed. */
export async function deleteObjects(services: Services, target: Target, actor: Actor, paths: string[]): Promise<string[]> {
  assertWritable(target);
  const existing = await reads.getObjects(services.db, viewOf(target), paths);
  const present = paths.filter((p) => existing.has(p));
  if (present.length === 0) return [];
  const message = present.length === 1 ? `Delete ${present[0]}` : `Delete ${present.length} objects`;
  await applyChanges(services, target, actor, present.map((path) => ({ path, object: null })), message);
  return present;
}
