// Small builders shared by the catalog suites.
import { randomBytes } from 'node:crypto';
import { organizations, repositories, sessions, commitSession, type Db, type ObjectData, type Repository } from '../../src/catalog/index.js';

export async function newRepository(db: Db, name = 'repo'): Promise<Repository> {
  const org = await organizations.createOrganization(db, `org-${randomBytes(4).toString('hex')}`);
  return repositories.createRepository(db, { orgId: org.id, name });
}

/** Object data whose etag and size derive from `content`, so equal contents compare equal. */
export function objectFor(content: string, extra: Partial<ObjectData> = {}): ObjectData {
  return {
    address: `blob-${randomBytes(8).toString('hex')}`,
    size: Buffer.byteLength(content),
    etag: `etag-${content}`,
    contentType: 'application/octet-stream',
    userMetadata: {},
    httpHeaders: {},
    checksums: {},
    sourceMetadata: null,
    ...extra,
  };
}

/** Opens a session, stages `changes` (null = delete), commits it. */
export async function commitChanges(db: Db, repoId: string, changes: Record<string, string | null>, message = 'change') {
  const session = await sessions.openSession(db, repoId);
  await sessions.stageChanges(
    db,
    session.id,
    Object.entries(changes).map(([path, content]) => ({ path, object: content === null ? null : objectFor(content) })),
  );
  return commitSession(db, session.id, { message });
}
