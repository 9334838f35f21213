// Group memberships of an organization (nested groups allowed; cycles are refused above).
import { AlreadyExistsError, NotFoundError } from '../../errors.js';
import type { Queryable } from '../db.js';

export interface Edge {
  groupId: string;
  subjectType: 'user' | 'group' | 'role' | 'agent';
  subjectId: string;
}

export interface GroupMemberRow extends Edge {
  name: string;
  fullName: string;
  addedAt: Date;
}

/** Every membership edge among the groups of an organization. */
export async function listEdges(q: Queryable, orgId: string): Promise<Edge[]> {
  const { rows } = await q.query(
    `SELECT gm.group_id, gm.subject_type, gm.subject_id FROM group_members gm JOIN principals g ON g.id = gm.group_id
     WHERE g.org_id = $1 AND g.deleted_at IS NULL`,
    [orgId],
  );
  return rows.map((r) => ({ groupId: r.group_id as string, subjectType: r.subject_type as Edge['subjectType'], subjectId: r.subject_id as string }));
}

export async function listMembers(q: Queryable, groupId: string): Promise<GroupMemberRow[]> {
  const { rows } = await q.query(
    `SELECT gm.*, p.name, p.full_name FROM group_members gm JOIN principals p ON p.id = gm.subject_id WHERE gm.group_id = $1 ORDER BY p.name`,
    [groupId],
  );
  return rows.map((r) => ({
    groupId: r.group_id as string, subjectType: r.subject_type as Edge['subjectType'], subjectId: r.subject_id as string,
    name: r.name as string, fullName: r.full_name as string, addedAt: r.added_at as Date,
  }));
}

export async function addMember(q: Queryable, edge: Edge): Promise<void> {
  const { rowCount } = await q.query(
    'INSERT INTO group_members (group_id, subject_type, subject_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
    [edge.groupId, edge.subjectType, edge.subjectId],
  );
  if (rowCount === 0) throw new AlreadyExistsError('member', 'already a member of the group');
}

export async function removeMember(q: Queryable, groupId: string, subjectId: string): Promise<void> {
  const { rowCount } = await q.query('DELETE FROM group_members WHERE group_id = $1 AND subject_id = $2', [groupId, subjectId]);
  if (rowCount === 0) throw new NotFoundError('member', 'not a member of the group');
}
