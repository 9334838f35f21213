// Multipart uploads, kept in the catalog so they survive restarts. Parts are blobs of their
// own; completing an upload keeps the chosen parts and names the object 'upload:<id>'.
import { randomBytes } from 'node:crypto';
import { NotFoundError } from '../../errors.js';
import type { Queryable } from '../db.js';
import type { Checksums, Page } from '../types.js';

export interface Upload {
  id: string;
  repoId: string;
  sessionId: string | null;
  path: string;
  status: 'open' | 'completed' | 'aborted';
  contentType: string | null;
  userMetadata: Record<string, string>;
  httpHeaders: Record<string, string>;
  checksumAlgorithm: string | null;
  /** How the object's checksum is formed from the parts' (S3's x-amz-checksum-type). */
  checksumType: 'COMPOSITE' | 'FULL_OBJECT';
  plannedAddress: string | null;
  ownerId: string | null;
  createdAt: Date;
}

export interface UploadPart {
  partNumber: number;
  address: string;
  size: number;
  etag: string;
  checksums: Checksums;
  uploadedAt: Date;
}

type Row = Record<string, unknown>;

const toUpload = (r: Row): Upload => ({
  id: r.id as string,
  repoId: r.repo_id as string,
  sessionId: (r.session_id ?? null) as string | null,
  path: r.path as string,
  status: r.status as Upload['status'],
  contentType: (r.content_type ?? null) as string | null,
  userMetadata: (r.user_metadata ?? {}) as Record<string, string>,
  httpHeaders: (r.http_headers ?? {}) as Record<string, string>,
  checksumAlgorithm: (r.checksum_algorithm ?? null) as string | null,
  checksumType: (r.checksum_type ?? 'COMPOSITE') as Upload['checksumType'],
  plannedAddress: (r.planned_address ?? null) as string | null,
  ownerId: (r.owner_id ?? null) as string | null,
  createdAt: r.created_at as Date,
});

const toPart = (r: Row): UploadPart => ({
  partNumber: r.part_number as number,
  address: r.address as string,
  size: r.size as number,
  etag: r.etag as string,
  checksums: (r.checksums ?? {}) as Checksums,
  uploadedAt: r.uploaded_at as Date,
});

export type NewUpload = Omit<Upload, 'id' | 'status' | 'createdAt' | 'checksumType'> & { checksumType?: Upload['checksumType'] };

export async function createUpload(q: Queryable, upload: NewUpload): Promise<Upload> {
  const { rows } = await q.query(
    `INSERT INTO uploads (id, repo_id, session_id, path, content_type, user_metadata, http_headers, checksum_algorithm,
       checksum_type, planned_address, owner_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING *`,
    [randomBytes(24).toString('base64url'), upload.repoId, upload.sessionId, upload.path, upload.contentType,
      upload.userMetadata, upload.httpHeaders, upload.checksumAlgorithm, upload.checksumType ?? 'COMPOSITE', upload.plannedAddress,
      upload.ownerId],
  );
  return toUpload(rows[0]!);
}

export async function getUploadById(q: Queryable, id: string): Promise<Upload | null> {
  const { rows } = await q.query('SELECT * FROM uploads WHERE id = $1', [id]);
  return rows[0] ? toUpload(rows[0]) : null;
}

/** An open upload of this repository and path; `lock` takes it FOR UPDATE. */
export async function getOpenUpload(q: Queryable, repoId: string, path: string, id: string, lock = false): Promise<Upload> {
  const { rows } = await q.query(
    `SELECT * FROM uploads WHERE id = $1 AND repo_id = $2 AND path = $3 AND status = 'open' ${lock ? 'FOR UPDATE' : ''}`,
    [id, repoId, path],
  );
  if (!rows[0]) throw new NotFoundError('upload', 'The specified upload does not exist');
  return toUpload(rows[0]);
}

/** Records a part; a part uploaded again under the same number replaces the earlier one. */
export async function putPart(q: Queryable, uploadId: string, part: Omit<UploadPart, 'uploadedAt'>): Promise<void> {
  await q.query(
    `INSERT INTO upload_parts (upload_id, part_number, address, size, etag, checksums) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (upload_id, part_number) DO UPDATE SET address = excluded.address, size = excluded.size,
       etag = excluded.etag, checksums = excluded.checksums, uploaded_at = now()`,
    [uploadId, part.partNumber, part.address, part.size, part.etag, part.checksums],
  );
}

export async function listParts(
  q: Queryable,
  uploadId: string,
  opts: { afterPartNumber?: number; limit: number },
): Promise<{ parts: UploadPart[]; hasMore: boolean }> {
  const { rows } = await q.query(
    'SELECT * FROM upload_parts WHERE upload_id = $1 AND part_number > $2 ORDER BY part_number LIMIT $3',
    [uploadId, opts.afterPartNumber ?? 0, opts.limit + 1],
  );
  return { parts: rows.slice(0, opts.limit).map(toPart), hasMore: rows.length > opts.limit };
}

/** Parts of a completed upload, in order: what its object is made of. */
export async function listCompletedParts(q: Queryable, uploadId: string): Promise<UploadPart[]> {
  const { rows } = await q.query('SELECT * FROM upload_parts WHERE upload_id = $1 ORDER BY part_number', [uploadId]);
  return rows.map(toPart);
}

/** Open uploads of a repository, by (path, id), after the given markers. */
export async function listOpenUploads(
  q: Queryable,
  repoId: string,
  opts: { prefix?: string; afterPath?: string; afterId?: string; limit: number },
): Promise<Page<Upload>> {
  const { rows } = await q.query(
    `SELECT * FROM uploads WHERE repo_id = $1 AND status = 'open' AND starts_with(path, $2)
       AND (path > $3 OR (path = $3 AND id > $4))
     ORDER BY path, id LIMIT $5`,
    [repoId, opts.prefix ?? '', opts.afterPath ?? '', opts.afterId ?? '', opts.limit + 1],
  );
  const uploads = rows.map(toUpload);
  const hasMore = uploads.length > opts.limit;
  const items = uploads.slice(0, opts.limit);
  return { items, hasMore, next: hasMore ? items[items.length - 1]!.id : null };
}

/** Keeps exactly the given part numbers and marks the upload completed (caller holds its lock). */
export async function markCompleted(q: Queryable, uploadId: string, keptPartNumbers: number[]): Promise<void> {
  await q.query('DELETE FROM upload_parts WHERE upload_id = $1 AND NOT (part_number = ANY($2::int[]))', [uploadId, keptPartNumbers]);
  await q.query(`UPDATE uploads SET status = 'completed', ended_at = now() WHERE id = $1`, [uploadId]);
}

/** Aborts an open upload; its parts' blobs become garbage. */
export async function abortUpload(q: Queryable, repoId: string, path: string, id: string): Promise<void> {
  const { rowCount } = await q.query(
    `UPDATE uploads SET status = 'aborted', ended_at = now() WHERE id = $1 AND repo_id = $2 AND path = $3 AND status = 'open'`,
    [id, repoId, path],
  );
  if (rowCount === 0) throw new NotFoundError('upload', 'The specified upload does not exist');
  await q.query('DELETE FROM upload_parts WHERE upload_id = $1', [id]);
}
