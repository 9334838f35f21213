// Which blob addresses the catalog still needs: the garbage collector's question.
import type { Queryable } from '../db.js';

/**
 * The subset of `addresses` referenced by an entry (any version, any commit), a staged change,
 * an open presigned upload, or a part of an upload that is open or whose assembled object is
 * still referenced. An upload left open in a deleted repository can never complete: its
 * blobs are garbage.
 */
export async function findReferencedAddresses(q: Queryable, addresses: string[]): Promise<Set<string>> {
  if (addresses.length === 0) return new Set();
  const { rows } = await q.query<{ address: string }>(
    `SELECT a.address FROM unnest($1::text[]) AS a(address)
     WHERE EXISTS (SELECT 1 FROM entries e WHERE e.address = a.address)
        OR EXISTS (SELECT 1 FROM staged_changes s WHERE s.address = a.address)
        OR EXISTS (SELECT 1 FROM uploads u JOIN repositories r ON r.id = u.repo_id
                   WHERE u.planned_address = a.address AND u.status = 'open' AND r.deleted_at IS NULL)
        OR EXISTS (
          SELECT 1 FROM upload_parts p JOIN uploads u ON u.id = p.upload_id JOIN repositories r ON r.id = u.repo_id
          WHERE p.address = a.address AND (
            (u.status = 'open' AND r.deleted_at IS NULL)
            OR (u.status = 'completed' AND (
              EXISTS (SELECT 1 FROM entries e WHERE e.address = 'upload:' || u.id)
              OR EXISTS (SELECT 1 FROM staged_changes s WHERE s.address = 'upload:' || u.id)))))`,
    [addresses],
  );
  return new Set(rows.map((r) => r.address));
}
