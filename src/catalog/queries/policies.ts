// Policies and their attachments, as far as authorization needs them: the built-ins of an
// organization, attaching, and the texts in force for a principal (directly and through
// nested groups; UNION stops at cycles).
import { randomUUID } from 'node:crypto';
import { NotFoundError } from '../../errors.js';
import type { Queryable } from '../db.js';

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
