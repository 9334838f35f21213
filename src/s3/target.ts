// Bucket → what a request reads and writes. A bucket is a repository of the caller's home
// organization; `<repo>.<commit>` reads that commit (read-only); session credentials read the
// session's view and stage their writes in it.
import { history, organizations, sessions, type ObjectEntry, type Organization, type Repository } from '../catalog/index.js';
import { authorize, type Action, type Decision } from '../core/authorize.js';
import { homeOrganization } from '../core/caller.js';
import { repositoryByName } from '../core/repositories.js';
import { ForbiddenError } from '../errors.js';
import { repositoryAndLatest, type Target } from '../core/objects.js';
import type { S3Context } from './context.js';
import { parseBucketName } from './protocol/bucket-name.js';
import { S3Error } from './s3-error.js';

export interface ResolvedTarget {
  org: Organization;
  repo: Repository;
  target: Target;
  decision: Decision;
  /**
   * With `readLatest`, when the target is the latest commit read by plain credentials: the
   * latest version of the request's key, or null when it has none, read with the repository.
   */
  latest?: ObjectEntry | null;
}

interface BucketRepository {
  org: Organization;
  repo: Repository;
  commitRef: string | undefined;
  latest?: ObjectEntry | null;
}

/** The bucket's repository; with `latestOf`, also that key's latest version where it can come along. */
export async function bucketRepository(ctx: S3Context, latestOf?: string): Promise<BucketRepository> {
  const ref = parseBucketName(ctx.bucket ?? '');
  const { services } = ctx;
  if (!ctx.caller) return { ...(await publicRepository(ctx, ref.repo)), commitRef: ref.commitRef };
  const org = await homeOrganization(services, ctx.caller);
  if (latestOf !== undefined && ref.commitRef === undefined && !ctx.caller.sessionId) {
    const { repo, entry } = await repositoryAndLatest(services, org.id, ref.repo, latestOf);
    return { org, repo, commitRef: undefined, latest: entry };
  }
  const repo = await repositoryByName(services, org.id, ref.repo);
  return { org, repo, commitRef: ref.commitRef };
}

/** Anonymous requests reach public repositories only; bucket names are looked up across organizations. */
async function publicRepository(ctx: S3Context, name: string): Promise<{ org: Organization; repo: Repository }> {
  const { rows } = await ctx.services.db.query<{ org_id: string }>(
    `SELECT org_id FROM repositories WHERE name = $1 AND visibility = 'public' AND deleted_at IS NULL ORDER BY created_at LIMIT 1`,
    [name],
  );
  if (!rows[0]) throw new S3Error('AccessDenied', 'Access Denied');
  const org = await organizations.getOrganizationById(ctx.services.db, rows[0].org_id);
  return { org, repo: await repositoryByName(ctx.services, org.id, name) };
}

/**
 * Resolves the bucket and authorizes `action` on it (at the request's key, if any). `perKey`:
 * the operation names its keys in its body and authorizes each itself (DeleteObjects), so a
 * grant limited to some paths still lets it act on those.
 */
export async function resolveTarget(ctx: S3Context, action: Action | 'perKey', opts: { write?: boolean; readLatest?: boolean } = {}): Promise<ResolvedTarget> {
  const { org, repo, commitRef, latest } = await bucketRepository(ctx, opts.readLatest && ctx.key !== null ? ctx.key : undefined);
  const decision = action === 'perKey'
    ? { requiresApproval: false }
    : await authorize(ctx.services, ctx.caller, action, { org, repo, ...(ctx.key !== null ? { path: ctx.key } : {}) });
  const sessionId = ctx.caller?.sessionId ?? null;
  if (commitRef !== undefined) {
    if (opts.write) throw new S3Error('AccessDenied', 'A bucket named <repository>.<commit> reads a past commit and is read-only');
    const commit = await history.resolveCommit(ctx.services.db, repo.id, commitRef);
    return { org, repo, decision, target: { repo, seq: commit.seq, session: null } };
  }
  if (sessionId) {
    const session = await sessions.getSession(ctx.services.db, sessionId);
    if (session.repoId !== repo.id) throw new S3Error('AccessDenied', 'These session credentials belong to another repository');
    if (session.status !== 'open') throw new S3Error('AccessDenied', `The session these credentials belong to is ${session.status.replace('_', ' ')}`);
    if (opts.write && decision.requiresApproval) await sessions.setNeedsApproval(ctx.services.db, session.id);
    return { org, repo, decision, target: { repo, seq: 'head', session } };
  }
  if (opts.write) {
    const mayCommit = await authorize(ctx.services, ctx.caller, 'CommitSession', { org, repo }).then(() => true, (err: unknown) => {
      if (err instanceof ForbiddenError) return false;
      throw err;
    });
    if (!mayCommit) {
      throw new S3Error('AccessDenied', 'This principal may not commit directly (no CommitSession grant): open a session (trove session open, or POST …/sessions and …/s3-credentials), write through its credentials and have it committed');
    }
    if (decision.requiresApproval) {
      throw new S3Error('AccessDenied', 'Writes by this principal need approval: open a session (trove session open, or POST …/sessions and …/s3-credentials) and write through its credentials');
    }
  }
  return { org, repo, decision, target: { repo, seq: 'head', session: null }, ...(latest !== undefined ? { latest } : {}) };
}
