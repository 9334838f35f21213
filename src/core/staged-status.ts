// What a session's staged object is to its base commit, for listings that mark changes.
import { reads } from '../catalog/index.js';
import type { Target } from './objects.js';
import type { Services } from './services.js';

/** For staged paths of a session view: 'modified' when the base commit has the path, else 'added'. */
export async function stagedStatuses(services: Services, target: Target, paths: string[]): Promise<Map<string, 'added' | 'modified'>> {
  if (!target.session || paths.length === 0) return new Map();
  const base = await reads.getObjects(services.db, { repoId: target.repo.id, seq: target.session.baseSeq }, paths);
  return new Map(paths.map((path) => [path, base.has(path) ? 'modified' : 'added']));
}
