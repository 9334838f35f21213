// Repositories, commits and sessions through the REST API (or the `trove session` command line
// where it can reach the catalog): what a job needs to write a batch as one commit.
import type { Target } from './targets.js';

const repoPath = (repo: string) => `/organizations/default/repositories/${repo}`;

async function json<T>(target: Target, method: string, path: string, body?: unknown, expect = [200, 201]): Promise<T> {
  const answer = await target.rest(method, path, body);
  if (!expect.includes(answer.status)) throw new Error(`${method} ${path}: ${answer.status} ${answer.body.toString()}`);
  return JSON.parse(answer.body.toString()) as T;
}

export interface Commit {
  id: string;
  message: string;
}

/** The repository's commits, newest first. */
export async function log(target: Target, repo: string): Promise<Commit[]> {
  const out: Commit[] = [];
  for (let after = ''; ;) {
    const page = await json<{ results: Commit[]; pagination: { has_more: boolean; next_offset: string } }>(
      target, 'GET', `${repoPath(repo)}/log?amount=1000${after ? `&after=${encodeURIComponent(after)}` : ''}`);
    out.push(...page.results);
    if (!page.pagination.has_more) return out;
    after = page.pagination.next_offset;
  }
}

export async function createRepository(target: Target, repo: string): Promise<void> {
  await json(target, 'POST', '/organizations/default/repositories', { name: repo });
}

export interface OpenSession {
  id: string;
  accessKeyId: string;
  secret: string;
}

/** Opens a session and mints its S3 credentials: through the CLI on PostgreSQL, else REST. */
export async function openSession(target: Target, repo: string): Promise<OpenSession> {
  if (target.backend === 'postgres') {
    const out = JSON.parse(await target.trove(['session', 'open', '--repo', repo, '--json'])) as { session_id: string; access_key_id: string; secret_access_key: string };
    return { id: out.session_id, accessKeyId: out.access_key_id, secret: out.secret_access_key };
  }
  const { session_id: id } = await json<{ session_id: string }>(target, 'POST', `${repoPath(repo)}/sessions`);
  const creds = await json<{ access_key_id: string; secret_access_key: string }>(target, 'POST', `${repoPath(repo)}/sessions/${id}/s3-credentials`);
  return { id, accessKeyId: creds.access_key_id, secret: creds.secret_access_key };
}

/** Commits the session; returns the new commit's id. */
export async function commitSession(target: Target, repo: string, id: string, message: string): Promise<string> {
  if (target.backend === 'postgres') return (await target.trove(['session', 'commit', id, '--repo', repo, '--message', message])).trim();
  return (await json<{ commit_id: string }>(target, 'POST', `${repoPath(repo)}/sessions/${id}`, { message })).commit_id;
}

/** The live paths of the repository's latest commit under `prefix`, through REST. */
export async function livePaths(target: Target, repo: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (let after = ''; ;) {
    const page = await json<{ results: Array<{ path: string; type: string }>; pagination: { has_more: boolean; next_offset: string } }>(
      target, 'GET', `${repoPath(repo)}/objects?amount=1000&prefix=${encodeURIComponent(prefix)}${after ? `&after=${encodeURIComponent(after)}` : ''}`);
    out.push(...page.results.filter((r) => r.type === 'object').map((r) => r.path));
    if (!page.pagination.has_more) return out;
    after = page.pagination.next_offset;
  }
}
