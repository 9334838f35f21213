// Sessions for both front doors: open, commit (or freeze awaiting approval), approve, roll
// back, and mint the session-bound S3 credentials that let unchanged tools write into one.
import { commitSession, organizations, repositories, sessions, type Commit, type Repository, type Session } from '../catalog/index.js';
import { ForbiddenError, NotFoundError } from '../errors.js';
import type { Caller } from './caller.js';
import { issueKey } from './keys.js';
import { resolveRepository } from './repositories.js';
import type { Services } from './services.js';

/** Session credentials outlive nothing: they expire with the session or after this long. */
export const SESSION_CREDENTIALS_TTL_MS = 7 * 24 * 3600 * 1000;

export async function openSession(services: Services, caller: Caller, repo: Repository): Promise<Session> {
  const days = repo.sessionMaxDurationDays;
  const expiresAt = days ? new Date(Date.now() + days * 24 * 3600 * 1000) : null;
  return sessions.openSession(services.db, repo.id, { owner: caller.actor, expiresAt });
}

/** A session of this repository that the caller owns (staging and committing need that). */
export async function ownedSession(services: Services, caller: Caller, repo: Repository, sessionId: string): Promise<Session> {
  const session = await sessions.getSession(services.db, sessionId).catch(() => null);
  if (!session || session.repoId !== repo.id) throw new NotFoundError('session', `session ${sessionId} not found`);
  if (session.owner?.id !== caller.principal.id) throw new ForbiddenError('only the principal that opened a session may change it');
  if (session.status !== 'open') throw new NotFoundError('session', `session ${sessionId} is ${session.status.replace('_', ' ')}`);
  return session;
}

/** A session of this repository, open or pending, for reading (any principal allowed to read). */
export async function readableSession(services: Services, repo: Repository, sessionId: string): Promise<Session> {
  const session = await sessions.getSession(services.db, sessionId).catch(() => null);
  if (!session || session.repoId !== repo.id || (session.status !== 'open' && session.status !== 'pending_approval')) {
    throw new NotFoundError('session', `session ${sessionId} not found`);
  }
  return session;
}

export type CommitOutcome = { kind: 'committed'; commit: Commit } | { kind: 'approval_required'; session: Session };

export async function commitOwnSession(
  services: Services,
  caller: Caller,
  repo: Repository,
  sessionId: string,
  message: string,
  metadata: Record<string, string> = {},
): Promise<CommitOutcome> {
  const session = await ownedSession(services, caller, repo, sessionId);
  if (session.needsApproval) {
    return { kind: 'approval_required', session: await sessions.markPendingApproval(services.db, session.id, message, metadata) };
  }
  return { kind: 'committed', commit: await commitSession(services.db, session.id, { message, metadata, committer: caller.actor }) };
}

/** Commits someone else's session that awaits approval, as the approver. */
export async function approveSession(
  services: Services,
  approver: Caller,
  repo: Repository,
  sessionId: string,
  message: string,
  metadata: Record<string, string> = {},
): Promise<Commit> {
  const session = await sessions.getSession(services.db, sessionId).catch(() => null);
  if (!session || session.repoId !== repo.id || session.status !== 'pending_approval') {
    throw new NotFoundError('session', `session ${sessionId} is not pending approval`);
  }
  if (session.owner?.id === approver.principal.id) throw new ForbiddenError('a principal may not approve its own session');
  return commitSession(services.db, session.id, {
    message,
    // The owner's metadata stays (the approver's wins on a clash), with its message beside it.
    metadata: { ...(session.metadata ?? {}), ...metadata, ...(session.message ? { original_message: session.message } : {}) },
    committer: session.owner,
    approver: approver.actor,
    allowedStatus: ['pending_approval'],
  });
}

export async function rollbackSession(services: Services, caller: Caller, repo: Repository, sessionId: string): Promise<void> {
  const session = await sessions.getSession(services.db, sessionId).catch(() => null);
  if (!session || session.repoId !== repo.id) throw new NotFoundError('session', `session ${sessionId} not found`);
  const isOwner = session.owner?.id === caller.principal.id;
  if (!isOwner && session.status !== 'pending_approval') throw new ForbiddenError('only the owner may roll back an open session');
  await sessions.rollbackSession(services.db, session.id);
}

export interface SessionCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  expiresAt: Date;
}

/** Temporary S3 credentials bound to one session: revoked when it ends, expiring anyway. */
export async function mintSessionCredentials(services: Services, caller: Caller, session: Session): Promise<SessionCredentials> {
  const sessionEnd = session.expiresAt?.getTime() ?? Infinity;
  const expiresAt = new Date(Math.min(Date.now() + SESSION_CREDENTIALS_TTL_MS, sessionEnd));
  const { key, token } = await issueKey(services, caller.principal, {
    name: `session ${session.id}`,
    sessionId: session.id,
    expiresAt,
  });
  return { accessKeyId: key.id, secretAccessKey: token, expiresAt };
}

/**
 * Whether a session waits for approval (HEAD …/approve). Readers of the repository may ask,
 * and the session's owner always may: its SDK polls here and gives up on a 403.
 */
export async function isPendingApproval(services: Services, caller: Caller | null, orgName: string, repoName: string, sessionId: string): Promise<boolean> {
  const session = await sessions.getSession(services.db, sessionId).catch(() => null);
  const owner = caller !== null && session?.owner?.id === caller.principal.id;
  const repo = owner
    ? await repositories.getRepositoryByName(services.db, (await organizations.getOrganizationByName(services.db, orgName)).id, repoName)
    : (await resolveRepository(services, caller, orgName, repoName, 'GetRepository')).repo;
  return session?.repoId === repo.id && session.status === 'pending_approval';
}
