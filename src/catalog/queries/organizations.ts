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
