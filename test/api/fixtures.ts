// Shared steps of the REST tests: principals with a policy, repositories with objects, the
// error body, and walking a paginated list while checking the contract's invariants.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Test } from 'tap';
import { organizations, policies, principals } from '../../src/catalog/index.js';
import type { Principal } from '../../src/catalog/queries/principals.js';
import { issueKey } from '../../src/core/keys.js';
import { hashPassword } from '../../src/core/secrets/passwords.js';
import type { TestApp } from '../helpers/app.js';

export type Headers = Record<string, string>;
export const O = '/api/v1/organizations/default';
export const repoPath = (repo: string) => `${O}/repositories/${repo}`;

/** A fresh suffix, so tests sharing a catalog never collide on names. */
export const unique = (): string => `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;

/** A user who is a member of `default` with one policy text attached, and its Bearer header. */
export async function memberWith(env: TestApp, name: string, policyText: string | null): Promise<{ user: Principal; auth: Headers }> {
  const { db } = env.services;
  const org = await organizations.getOrganizationByName(db, 'default');
  const user = await principals.createUser(db, { username: name });
  await organizations.addMember(db, org.id, user.id);
  if (policyText !== null) {
    await db.query('INSERT INTO policies (id, org_id, name, policy_text) VALUES (gen_random_uuid(), $1, $2, $3)', [org.id, `p-${name}`, policyText]);
    await policies.attachPolicy(db, await policies.findPolicyIdByName(db, org.id, `p-${name}`), { type: 'user', id: user.id }, null);
  }
  const { token } = await issueKey(env.services, user, { name: 'test' });
  return { user, auth: { authorization: `Bearer ${token}` } };
}

/** A user of no organization at all, and its Bearer header. */
export async function outsider(env: TestApp, name: string): Promise<Headers> {
  const user = await principals.createUser(env.services.db, { username: name });
  const { token } = await issueKey(env.services, user, { name: 'test' });
  return { authorization: `Bearer ${token}` };
}

/** Asserts the contract's error body: exactly message, code and request_id. */
export function isError(t: Test, res: LightMyRequestResponse, status: number, code: string, what: string): void {
  if (res.statusCode !== status) {
    t.fail(`${what}: expected ${status}, got ${res.statusCode} ${res.body.slice(0, 300)}`);
    return;
  }
  const body = res.json();
  t.same(Object.keys(body).sort(), ['code', 'message', 'request_id'], `${what}: the error body`);
  t.equal(body.code, code, `${what}: ${code}`);
  t.equal(body.request_id, res.headers['x-request-id'], `${what}: the request id`);
}

export async function createRepo(app: FastifyInstance, auth: Headers, name: string, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await app.inject({ method: 'POST', url: `${O}/repositories`, headers: auth, payload: { name, ...extra } });
  if (res.statusCode !== 201) throw new Error(`creating ${name}: ${res.statusCode} ${res.body}`);
  return repoPath(name);
}

export async function openSession(app: FastifyInstance, R: string, auth: Headers): Promise<string> {
  const res = await app.inject({ method: 'POST', url: `${R}/sessions`, headers: auth });
  if (res.statusCode !== 201) throw new Error(`opening a session: ${res.statusCode} ${res.body}`);
  return res.json().session_id;
}

/** The 3-step upload into a session: PUT /object, PUT the bytes, finalize. */
export async function stage(app: FastifyInstance, R: string, sid: string, path: string, body: string, auth: Headers, extra: Record<string, unknown> = {}): Promise<void> {
  const q = `session_id=${sid}&path=${encodeURIComponent(path)}`;
  const started = await app.inject({ method: 'PUT', url: `${R}/object?${q}`, headers: auth });
  if (started.statusCode !== 200) throw new Error(`PUT /object ${path}: ${started.statusCode} ${started.body}`);
  const { upload_url: url, upload_token: token } = started.json();
  const put = await app.inject({ method: 'PUT', url: new URL(url).pathname, payload: body, headers: { 'content-type': 'application/octet-stream' } });
  if (put.statusCode !== 200) throw new Error(`uploading ${path}: ${put.statusCode} ${put.body}`);
  const done = await app.inject({ method: 'POST', url: `${R}/object/finalize?${q}`, headers: auth, payload: { upload_token: token, ...extra } });
  if (done.statusCode !== 201) throw new Error(`finalizing ${path}: ${done.statusCode} ${done.body}`);
}

/** One commit writing `files` (and deleting `deletes`); returns its id. */
export async function commitFiles(app: FastifyInstance, R: string, auth: Headers, files: Record<string, string>, message = 'change', deletes: string[] = []): Promise<string> {
  const sid = await openSession(app, R, auth);
  for (const [path, body] of Object.entries(files)) await stage(app, R, sid, path, body, auth);
  for (const path of deletes) {
    const res = await app.inject({ method: 'DELETE', url: `${R}/object?session_id=${sid}&path=${encodeURIComponent(path)}`, headers: auth });
    if (res.statusCode !== 204) throw new Error(`deleting ${path}: ${res.statusCode} ${res.body}`);
  }
  const res = await app.inject({ method: 'POST', url: `${R}/sessions/${sid}`, headers: auth, payload: { message } });
  if (res.statusCode !== 200) throw new Error(`committing: ${res.statusCode} ${res.body}`);
  return res.json().commit_id;
}

/**
 * Walks a paginated list `amount` at a time and checks the contract on every page: at most
 * `amount` results, has_more ⇒ a non-empty next_offset (fed back as after), max_per_page,
 * and a last page with has_more false. Returns every result and the number of pages.
 */
export async function allPages<T = Record<string, unknown>>(
  t: Test, app: FastifyInstance, url: string, headers: Headers, amount: number,
): Promise<{ results: T[]; pages: number }> {
  const results: T[] = [];
  let after: string | null = null;
  let pages = 0;
  for (;;) {
    const sep = url.includes('?') ? '&' : '?';
    const res = await app.inject({ method: 'GET', url: `${url}${sep}amount=${amount}${after !== null ? `&after=${encodeURIComponent(after)}` : ''}`, headers });
    if (res.statusCode !== 200) throw new Error(`GET ${url}: ${res.statusCode} ${res.body}`);
    const page = res.json() as { results: T[]; pagination: { has_more: boolean; next_offset: unknown; max_per_page: number } };
    pages++;
    if (page.results.length > amount) t.fail(`${url}: page ${pages} holds ${page.results.length} > ${amount}`);
    if (page.pagination.max_per_page !== amount) t.fail(`${url}: max_per_page ${page.pagination.max_per_page}`);
    results.push(...page.results);
    if (!page.pagination.has_more) break;
    if (typeof page.pagination.next_offset !== 'string' || page.pagination.next_offset === '') {
      t.fail(`${url}: has_more with an empty next_offset on page ${pages}`);
      break;
    }
    after = page.pagination.next_offset;
    if (pages > 1000) throw new Error(`${url}: more than 1000 pages`);
  }
  return { results, pages };
}

/**
 * A password hash that is quick to verify: stored hashes carry their own scrypt cost, and the
 * suites log in hundreds of times (each at Trove's cost would be ~70 ms of CPU).
 */
export function quickPasswordHash(password: string): Promise<string> {
  return hashPassword(password, { N: 2 ** 10, r: 8, p: 1 });
}
