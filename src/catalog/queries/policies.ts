// Policies and their attachments, as far as authorization needs them: the built-ins of an
// organization, attaching, and the texts in force for a principal (directly and through
// nested groups; UNION stops at cycles).
import { randomUUID } from 'node:crypto';
import { AlreadyExistsError, NotFoundError } from '../../errors.js';
import type { Queryable } from '../db.js';
import { isUniqueViolation } from './sql-errors.js';

/** Runs a write that may hit the unique policy name of an organization. */
async function naming<T>(name: string | undefined, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (isUniqueViolation(err)) throw new AlreadyExistsError('policy', `a policy named ${name} already exists`);
    throw err;
  }
}

export interface NamedPolicyText {
  name: string;
  description: string;
  text: string;
}

/** Creates the missing built-in policies of an organization (idempotent). */
export async function ensureBuiltinPolicies(q: Queryable, orgId: string, builtins: readonly NamedPolicyText[]): Promise<void> {
  for (const p of builtins) {
    await q.query(
      `INSERT INTO policies (id, org_id, name, description, policy_text, is_builtin) VALUES ($1, $2, $3, $4, $5, true)
       ON CONFLICT (org_id, name) DO NOTHING`,
      [randomUUID(), orgId, p.name, p.description, p.text],
    );
  }
}

export async function findPolicyIdByName(q: Queryable, orgId: string, name: string): Promise<string> {
  const { rows } = await q.query<{ id: string }>('SELECT id FROM policies WHERE org_id = $1 AND name = $2', [orgId, name]);
  if (!rows[0]) throw new NotFoundError('policy', `policy ${name} not found`);
  return rows[0].id;
}

export async function attachPolicy(
  q: Queryable,
  policyId: string,
  principal: { type: string; id: string },
  attachedBy: { type: string; id: string } | null,
): Promise<void> {
  await q.query(
    `INSERT INTO policy_attachments (policy_id, principal_type, principal_id, attached_by_type, attached_by)
     VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
    [policyId, principal.type, principal.id, attachedBy?.type ?? null, attachedBy?.id ?? null],
  );
}

/** The policy texts in force for a user or role within one organization. */
export async function policyTextsFor(q: Queryable, principalId: string, orgId: string): Promise<string[]> {
  const { rows } = await q.query<{ policy_text: string }>(
    `WITH RECURSIVE groups_of(id) AS (
       SELECT group_id FROM group_members WHERE subject_id = $1
       UNION
       SELECT gm.group_id FROM group_members gm JOIN groups_of g ON gm.subject_id = g.id
     )
     SELECT DISTINCT p.policy_text FROM policies p JOIN policy_attachments a ON a.policy_id = p.id
     WHERE p.org_id = $2 AND (a.principal_id = $1 OR a.principal_id IN (SELECT id FROM groups_of))`,
    [principalId, orgId],
  );
  return rows.map((r) => r.policy_text);
}

export interface PolicyRow {
  id: string;
  orgId: string;
  name: string;
  description: string;
  policyText: string;
  isBuiltin: boolean;
  createdByType: string | null;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
  attachmentCount: number;
}

const toPolicy = (r: Record<string, unknown>): PolicyRow => ({
  id: r.id as string, orgId: r.org_id as string, name: r.name as string, description: r.description as string,
  policyText: r.policy_text as string, isBuiltin: r.is_builtin as boolean, createdByType: (r.created_by_type ?? null) as string | null,
  createdBy: (r.created_by ?? null) as string | null, createdAt: r.created_at as Date, updatedAt: r.updated_at as Date,
  attachmentCount: Number(r.attachment_count ?? 0),
});

const WITH_COUNT = `SELECT p.*, (SELECT count(*) FROM policy_attachments a WHERE a.policy_id = p.id)::int AS attachment_count FROM policies p`;

export async function createPolicy(q: Queryable, p: { orgId: string; name: string; description: string; text: string; createdBy: { type: string; id: string } }): Promise<PolicyRow> {
  const { rows } = await naming(p.name, () => q.query(
    `INSERT INTO policies (id, org_id, name, description, policy_text, created_by_type, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *, 0 AS attachment_count`,
    [randomUUID(), p.orgId, p.name, p.description, p.text, p.createdBy.type, p.createdBy.id],
  ));
  return toPolicy(rows[0]!);
}

export async function getPolicy(q: Queryable, orgId: string, id: string): Promise<PolicyRow> {
  const { rows } = await q.query(`${WITH_COUNT} WHERE p.org_id = $1 AND p.id::text = $2`, [orgId, id]);
  if (!rows[0]) throw new NotFoundError('policy', `policy ${id} not found`);
  return toPolicy(rows[0]);
}

export async function listPolicies(q: Queryable, orgId: string, opts: { after?: string | null; limit: number }) {
  const { rows } = await q.query(`${WITH_COUNT} WHERE p.org_id = $1 AND p.name > $2 ORDER BY p.name LIMIT $3`, [orgId, opts.after ?? '', opts.limit + 1]);
  const items = rows.slice(0, opts.limit).map(toPolicy);
  const hasMore = rows.length > opts.limit;
  return { items, hasMore, next: hasMore ? items[items.length - 1]!.name : null };
}

export async function updatePolicy(q: Queryable, id: string, changes: { name?: string; description?: string; text?: string }): Promise<PolicyRow> {
  const { rows } = await naming(changes.name, () => q.query(
    `UPDATE policies SET name = coalesce($2, name), description = coalesce($3, description), policy_text = coalesce($4, policy_text), updated_at = now()
     WHERE id = $1 RETURNING *, (SELECT count(*) FROM policy_attachments a WHERE a.policy_id = policies.id)::int AS attachment_count`,
    [id, changes.name ?? null, changes.description ?? null, changes.text ?? null],
  ));
  return toPolicy(rows[0]!);
}

export async function deletePolicy(q: Queryable, id: string): Promise<void> {
  await q.query('DELETE FROM policies WHERE id = $1', [id]);
}

export async function detachPolicy(q: Queryable, policyId: string, principalId: string): Promise<void> {
  const { rowCount } = await q.query('DELETE FROM policy_attachments WHERE policy_id = $1 AND principal_id = $2', [policyId, principalId]);
  if (rowCount === 0) throw new NotFoundError('attachment', 'no such attachment');
}

export interface AttachmentRow {
  policyId: string; policyName: string; isBuiltin: boolean; principalType: string; principalId: string; principalName: string;
  attachedByType: string | null; attachedBy: string | null; attachedAt: Date;
}

export async function listAttachments(q: Queryable, orgId: string, policyId?: string): Promise<AttachmentRow[]> {
  const { rows } = await q.query(
    `SELECT a.*, p.name AS policy_name, p.is_builtin, pr.name AS principal_name FROM policy_attachments a
     JOIN policies p ON p.id = a.policy_id JOIN principals pr ON pr.id = a.principal_id
     WHERE p.org_id = $1 AND ($2::uuid IS NULL OR p.id = $2) ORDER BY p.name, pr.name`,
    [orgId, policyId ?? null],
  );
  return rows.map((r) => ({
    policyId: r.policy_id as string, policyName: r.policy_name as string, isBuiltin: r.is_builtin as boolean,
    principalType: r.principal_type as string, principalId: r.principal_id as string, principalName: r.principal_name as string,
    attachedByType: (r.attached_by_type ?? null) as string | null, attachedBy: (r.attached_by ?? null) as string | null, attachedAt: r.attached_at as Date,
  }));
}
