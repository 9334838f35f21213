// Commit ids: 64 hex characters, unique across repositories, unguessable, and stable once
// written. Time travel accepts any unique prefix of at least 8 of them.
import { createHash, randomBytes } from 'node:crypto';

export function newCommitId(repoId: string, seq: number, parentId: string | null, contentHash: string, at: Date): string {
  return createHash('sha256')
    .update([repoId, seq, parentId ?? '', contentHash, at.toISOString(), randomBytes(16).toString('hex')].join('\n'))
    .digest('hex');
}
