// Principals: users (global), and the organization-scoped roles, agents and groups.
import { randomUUID } from 'node:crypto';
import { AlreadyExistsError, NotFoundError } from '../../errors.js';
import type { Queryable } from '../db.js';
import type { Actor, PrincipalType } from '../types.js';
import { isUniqueViolation } from './sql-errors.js';

export interface Principal {
  id: string;
  type: PrincipalType;
  orgId: string | null;
  name: string;
  email: string | null;
  fullName: string;
  passwordHash: string | null;
  description: string;
  metadata: Record<string, string>;
  inlinePolicy: string | null;
  inlinePolicyUpdatedAt: Date | null;
  isAdmin: boolean;
  status: string;
  createdByType: string | null;
  createdBy: string | null;
  createdAt: Date;
}

type Row = Record<string, unknown>;

export const toPrincipal = (r: Row): Principal => ({
  id: r.id as string,
  type: r.type as PrincipalType,
  orgId: (r.org_id ?? null) as string | null,
  name: r.name as string,
  email: (r.email ?? null) as string | null,
  fullName: r.full_name as string,
  passwordHash: (r.password_hash ?? null) as string | null,
  description: r.description as string,
  metadata: (r.metadata ?? {}) as Record<string, string>,
  inlinePolicy: (r.inline_policy ?? null) as string | null,
  inlinePolicyUpdatedAt: (r.inline_policy_updated_at ?? null) as Date | null,
  isAdmin: r.is_admin as boolean,
  status: r.status as string,
  createdByType: (r.created_by_type ?? null) as string | null,
  createdBy: (r.created_by ?? null) as string | null,
  createdAt: r.created_at as Date,
});

export function actorOf(p: Principal): Actor {
  if (p.type === 'group') throw new TypeError('a group cannot act');
  return { type: p.type, id: p.id, name: p.name };
}

export interface NewUser {
  username: string;
  email?: string | null;
  fullName?: string;
  passwordHash?: string | null;
  isAdmin?: boolean;
}

export async function createUser(q: Queryable, user: NewUser): Promise<Principal> {
  try {
    const { rows } = await q.query(
      `INSERT INTO principals (id, type, org_id, name, email, full_name, password_hash, is_admin)
       VALUES ($1, 'user', NULL, $2, $3, $4, $5, $6) RETURNING *`,
      [randomUUID(), user.username, user.email ?? null, user.fullName ?? '', user.passwordHash ?? null, user.isAdmin ?? false],
    );
    return toPrincipal(rows[0]!);
  } catch (err) {
    if (isUniqueViolation(err)) throw new AlreadyExistsError('user', `user ${user.username} already exists`);
    throw err;
  }
}

export async function findUserByName(q: Queryable, username: string): Promise<Principal | null> {
  const { rows } = await q.query(`SELECT * FROM principals WHERE type = 'user' AND name = $1`, [username]);
  return rows[0] ? toPrincipal(rows[0]) : null;
}

/** A user by username or e-mail address (the login of HTTP Basic and /auth/login). */
export async function findUserByLogin(q: Queryable, login: string): Promise<Principal | null> {
  const { rows } = await q.query(
    `SELECT * FROM principals WHERE type = 'user' AND (name = $1 OR lower(email) = lower($1)) ORDER BY name = $1 DESC LIMIT 1`,
    [login],
  );
  return rows[0] ? toPrincipal(rows[0]) : null;
}

export async function getPrincipal(q: Queryable, id: string): Promise<Principal> {
  const { rows } = await q.query('SELECT * FROM principals WHERE id = $1 AND deleted_at IS NULL', [id]);
  if (!rows[0]) throw new NotFoundError('principal');
  return toPrincipal(rows[0]);
}

export interface NewOrgPrincipal {
  type: 'role' | 'agent' | 'group';
  orgId: string;
  name: string;
  description?: string;
  metadata?: Record<string, string>;
  inlinePolicy?: string | null;
  createdBy?: { type: string; id: string } | null;
}

/** A role, agent or group of one organization. */
export async function createOrgPrincipal(q: Queryable, p: NewOrgPrincipal): Promise<Principal> {
  try {
    const { rows } = await q.query(
      `INSERT INTO principals (id, type, org_id, name, description, metadata, inline_policy, inline_policy_updated_at, created_by_type, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, CASE WHEN $7::text IS NULL THEN NULL ELSE now() END, $8, $9) RETURNING *`,
      [randomUUID(), p.type, p.orgId, p.name, p.description ?? '', p.metadata ?? {}, p.inlinePolicy ?? null, p.createdBy?.type ?? null, p.createdBy?.id ?? null],
    );
    return toPrincipal(rows[0]!);
  } catch (err) {
    if (isUniqueViolation(err)) throw new AlreadyExistsError(p.type, `${p.type} ${p.name} already exists`);
    throw err;
  }
}

export async function getOrgPrincipalByName(q: Queryable, orgId: string, type: 'role' | 'agent' | 'group', name: string): Promise<Principal> {
  const { rows } = await q.query(
    'SELECT * FROM principals WHERE org_id = $1 AND type = $2 AND name = $3 AND deleted_at IS NULL', [orgId, type, name]);
  if (!rows[0]) throw new NotFoundError(type, `${type} ${name} not found`);
  return toPrincipal(rows[0]);
}

export async function listOrgPrincipals(
  q: Queryable, orgId: string, type: 'role' | 'agent' | 'group', opts: { after?: string | null; limit: number },
): Promise<{ items: Principal[]; hasMore: boolean; next: string | null }> {
  const { rows } = await q.query(
    `SELECT * FROM principals WHERE org_id = $1 AND type = $2 AND deleted_at IS NULL AND name > $3 ORDER BY name LIMIT $4`,
    [orgId, type, opts.after ?? '', opts.limit + 1],
  );
  const items = rows.slice(0, opts.limit).map(toPrincipal);
  const hasMore = rows.length > opts.limit;
  return { items, hasMore, next: hasMore ? items[items.length - 1]!.name : null };
}

export interface PrincipalChanges {
  /** A new name (groups may be renamed); taken names are AlreadyExistsError. */
  name?: string;
  description?: string;
  metadata?: Record<string, string>;
  /** '' clears the inline policy. */
  inlinePolicy?: string;
}

export async function updateOrgPrincipal(q: Queryable, id: string, changes: PrincipalChanges): Promise<Principal> {
  let rows: Row[];
  try {
    ({ rows } = await q.query(
      `UPDATE principals SET
         name = coalesce($5, name),
         description = coalesce($2, description),
         metadata = coalesce($3::jsonb, metadata),
         inline_policy = CASE WHEN $4::text IS NULL THEN inline_policy WHEN $4 = '' THEN NULL ELSE $4 END,
         inline_policy_updated_at = CASE WHEN $4::text IS NULL THEN inline_policy_updated_at ELSE now() END
       WHERE id = $1 AND deleted_at IS NULL RETURNING *`,
      [id, changes.description ?? null, changes.metadata ? JSON.stringify(changes.metadata) : null, changes.inlinePolicy ?? null, changes.name ?? null],
    ));
  } catch (err) {
    if (isUniqueViolation(err)) throw new AlreadyExistsError('principal', `the name ${changes.name} is taken`);
    throw err;
  }
  if (!rows[0]) throw new NotFoundError('principal');
  return toPrincipal(rows[0]);
}

/** Deletes a role or agent and revokes every key it holds. */
export async function deleteOrgPrincipal(q: Queryable, id: string): Promise<void> {
  await q.query('UPDATE principals SET deleted_at = now() WHERE id = $1', [id]);
  await q.query('UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE principal_id = $1', [id]);
}
