// Organizations and their members.
import { randomUUID } from 'node:crypto';
import { AlreadyExistsError, NotFoundError } from '../../errors.js';
import type { Queryable } from '../db.js';
import type { Organization } from '../types.js';
import { isUniqueViolation } from './sql-errors.js';

type Row = Record<string, unknown>;

const toOrganization = (r: Row): Organization => ({
  id: r.id as string,
  name: r.name as string,
  displayName: r.display_name as string,
  status: r.status as string,
  createdAt: r.created_at as Date,
});

export async function createOrganization(q: Queryable, name: string, displayName = name): Promise<Organization> {
  try {
    const { rows } = await q.query(
      'INSERT INTO organizations (id, name, display_name) VALUES ($1, $2, $3) RETURNING *',
      [randomUUID(), name, displayName],
    );
    return toOrganization(rows[0]!);
  } catch (err) {
    if (isUniqueViolation(err)) throw new AlreadyExistsError('organization', `organization ${name} already exists`);
    throw err;
  }
}

export async function getOrganizationByName(q: Queryable, name: string): Promise<Organization> {
  const { rows } = await q.query('SELECT * FROM organizations WHERE name = $1 AND deleted_at IS NULL', [name]);
  if (!rows[0]) throw new NotFoundError('organization', `organization ${name} not found`);
  return toOrganization(rows[0]);
}

export async function getOrganizationById(q: Queryable, id: string): Promise<Organization> {
  const { rows } = await q.query('SELECT * FROM organizations WHERE id = $1 AND deleted_at IS NULL', [id]);
  if (!rows[0]) throw new NotFoundError('organization');
  return toOrganization(rows[0]);
}

export async function countOrganizations(q: Queryable): Promise<number> {
  const { rows } = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM organizations');
  return rows[0]!.n;
}

/** Adds a user to an organization; a no-op if already a member. */
export async function addMember(q: Queryable, orgId: string, userId: string): Promise<void> {
  await q.query('INSERT INTO memberships (org_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [orgId, userId]);
}

export async function listUserOrganizations(q: Queryable, userId: string): Promise<Organization[]> {
  const { rows } = await q.query(
    `SELECT o.* FROM organizations o JOIN memberships m ON m.org_id = o.id
     WHERE m.user_id = $1 AND o.deleted_at IS NULL ORDER BY o.name`,
    [userId],
  );
  return rows.map(toOrganization);
}

export interface Member {
  userId: string;
  username: string;
  fullName: string;
  email: string | null;
  joinedAt: Date;
}

export async function listMembers(q: Queryable, orgId: string): Promise<Member[]> {
  const { rows } = await q.query(
    `SELECT p.id, p.name, p.full_name, p.email, m.joined_at FROM memberships m JOIN principals p ON p.id = m.user_id
     WHERE m.org_id = $1 ORDER BY p.name`,
    [orgId],
  );
  return rows.map((r) => ({
    userId: r.id as string, username: r.name as string, fullName: r.full_name as string,
    email: (r.email ?? null) as string | null, joinedAt: r.joined_at as Date,
  }));
}

/** Adds a member; false when the user already was one. */
export async function insertMember(q: Queryable, orgId: string, userId: string): Promise<boolean> {
  const { rowCount } = await q.query('INSERT INTO memberships (org_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [orgId, userId]);
  return rowCount > 0;
}

export async function removeMember(q: Queryable, orgId: string, userId: string): Promise<void> {
  const { rowCount } = await q.query('DELETE FROM memberships WHERE org_id = $1 AND user_id = $2', [orgId, userId]);
  if (rowCount === 0) throw new NotFoundError('member', 'no such member');
}

export async function softDeleteOrganization(q: Queryable, orgId: string): Promise<void> {
  await q.query('UPDATE organizations SET deleted_at = now() WHERE id = $1', [orgId]);
}
