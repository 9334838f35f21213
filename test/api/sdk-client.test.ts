// The real server (`trove serve`, as users run it) driven by a plain HTTP client exactly as
// the Tilde Python SDK drives it (API-CONTRACT §3, §4): Bearer header and the SDK's
// User-Agent on every API call, bodiless POST/PUTs without Content-Type, the 3-step upload
// (the upload URL gets no Authorization), multipart, GET following a redirect with Range,
// HEAD answered directly, an agent's commit waiting for approval while it polls HEAD
// …/approve, commit.diff with and without left, revert with `{}`, and the log paged with
// after. On the embedded catalog, and on PostgreSQL when TEST_DATABASE_URL is set.
// `npm test` builds dist/ first; run `npm run build` before running this file alone.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import pg from 'pg';
import t, { type Test } from 'tap';
import { startServer } from '../helpers/server.js';

const SDK_HEADERS = { 'user-agent': 'tilde-python-sdk/0.7.8', 'accept-encoding': 'gzip, deflate' };
const ADMIN = { TROVE_ADMIN_ACCESS_KEY_ID: 'TKSDKCLIENTTEST00001', TROVE_ADMIN_SECRET_ACCESS_KEY: `tuk-${'s'.repeat(43)}` };
const AGENT_POLICY = 'ListRepositories()\nGetRepository()\nListObjects()\nGetObject()\nCreateSession()\nPutObject(approval=true)\nCommitSession()\n';
const MiB = 1024 * 1024;

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  // any: the parsed JSON of many different answers, read field by field as the SDK does.
  json: () => any;
}

/** One HTTP exchange with exactly the headers given (node:http adds only Host and Connection). */
function exchange(method: string, url: string, headers: Record<string, string>, body?: Buffer | string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers: { ...headers, ...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const data = Buffer.concat(chunks);
        resolve({ status: res.statusCode!, headers: res.headers, body: data, json: () => JSON.parse(data.toString('utf8')) });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** An SDK client: `<endpoint>/api/v1` + path, the key as Bearer, JSON bodies or none at all. */
function client(endpoint: string, key: string) {
  const auth = { ...SDK_HEADERS, authorization: `Bearer ${key}` };
  const api = (method: string, path: string, json?: unknown) => exchange(method, `${endpoint}/api/v1${path}`,
    json === undefined ? { ...auth } : { ...auth, 'content-type': 'application/json' },
    // A bodiless POST/PUT: Content-Length 0 and no Content-Type, as httpx sends it.
    json === undefined ? (method === 'POST' || method === 'PUT' ? '' : undefined) : JSON.stringify(json));
  /** GET following redirects as httpx does: Range forwarded, Authorization only to the same origin. */
  const download = async (path: string, range?: string): Promise<Reply> => {
    let url = `${endpoint}/api/v1${path}`;
    for (let hops = 0; hops < 5; hops++) {
      const sameOrigin = new URL(url).origin === new URL(endpoint).origin;
      const res = await exchange('GET', url, { ...SDK_HEADERS, ...(sameOrigin ? { authorization: auth.authorization } : {}), ...(range ? { range } : {}) });
      if (res.status !== 307 && res.status !== 302) return res;
      url = new URL(String(res.headers.location), url).toString();
    }
    throw new Error('too many redirects');
  };
  return { api, download };
}

/** The presigned-style PUT of §3.3 step 2: only Content-Type and Content-Length, no Authorization. */
const putBytes = (url: string, body: Buffer | string) => exchange('PUT', url, { 'content-type': 'application/octet-stream' }, body);

async function scenario(t: Test, env: Record<string, string>) {
  const server = await startServer({ TROVE_DATA_DIR: t.testdir(), ...ADMIN, ...env });
  t.teardown(() => server.child.kill('SIGKILL'));
  const admin = client(server.url, ADMIN.TROVE_ADMIN_SECRET_ACCESS_KEY);
  const O = '/organizations/default';
  const repo = `sdk-${randomBytes(4).toString('hex')}`;
  const R = `${O}/repositories/${repo}`;

  let res = await admin.api('POST', `${O}/repositories`, { name: repo, visibility: 'private', description: 'sdk scenario' });
  t.equal(res.status, 201, `create the repository: ${res.body}`);
  // The SDK creates an agent without a policy, then sets it with an update.
  t.equal((await admin.api('POST', `${O}/agents`, { name: `bot-${repo}`, description: 'etl', metadata: { team: 'data' } })).status, 201);
  t.equal((await admin.api('PUT', `${O}/agents/bot-${repo}`, { inline_policy: AGENT_POLICY })).json().inline_policy, AGENT_POLICY);
  res = await admin.api('POST', `${O}/agents/bot-${repo}/auth/keys`, { name: 'ci' });
  t.match(res.json().token, /^tak-/);
  const agent = client(server.url, res.json().token);

  res = await agent.api('POST', `${R}/sessions`);
  t.equal(res.status, 201, 'repo.session(): a bodiless POST without Content-Type');
  const sid = res.json().session_id as string;

  // session.objects.put(): §3.3.
  const small = Buffer.from('id,name\n1,ann\n2,bob\n');
  const q = (path: string) => `session_id=${sid}&path=${encodeURIComponent(path)}`;
  res = await agent.api('PUT', `${R}/object?${q('data/people.csv')}`);
  t.equal(res.status, 200, 'PUT /object without a body');
  const { upload_url: uploadUrl, upload_token: uploadToken } = res.json();
  t.ok(new URL(uploadUrl).origin === server.url, 'an absolute upload URL on the server');
  res = await putBytes(uploadUrl, small);
  t.ok(res.status >= 200 && res.status < 300, 'the upload URL authorizes itself');
  const etag = String(res.headers.etag);
  t.match(etag, /^"[0-9a-f]{32}"$/, 'a quoted MD5 ETag');
  res = await agent.api('POST', `${R}/object/finalize?${q('data/people.csv')}`, {
    upload_token: uploadToken, content_type: 'application/octet-stream', checksum: etag.replaceAll('"', ''), size_bytes: small.length, metadata: { source: 'crm' },
  });
  t.equal(res.status, 201, `finalize: ${res.body}`);
  t.equal(res.json().path, 'data/people.csv');

  // session.objects.put() of a large file: §3.4, parts PUT without Authorization, raw ETags kept.
  res = await agent.api('POST', `${R}/object/multipart?${q('data/big.bin')}`);
  t.equal(res.status, 200, 'multipart initiate without a body');
  const { upload_id: uploadId, upload_token: multipartToken } = res.json();
  const parts = [Buffer.alloc(5 * MiB, 'x'), Buffer.from('the end')];
  const uploaded = [];
  for (const [i, part] of parts.entries()) {
    res = await agent.api('GET', `${R}/object/multipart/part?${q('data/big.bin')}&upload_id=${encodeURIComponent(uploadId)}&upload_token=${encodeURIComponent(multipartToken)}&part_number=${i + 1}`);
    res = await putBytes(res.json().upload_url, part);
    t.equal(res.status, 200);
    uploaded.push({ part_number: i + 1, etag: String(res.headers.etag) });
  }
  const bigSize = parts.reduce((n, p) => n + p.length, 0);
  res = await agent.api('POST', `${R}/object/multipart/complete?${q('data/big.bin')}`, {
    upload_id: uploadId, upload_token: multipartToken, parts: uploaded, content_type: 'application/octet-stream', size_bytes: bigSize,
  });
  t.equal(res.status, 201, `multipart complete: ${res.body}`);

  // session.objects.head() and .get(byte_range=) inside the session.
  const head = await agent.api('HEAD', `${R}/object?${q('data/people.csv')}`);
  t.equal(head.status, 200, 'HEAD answers 200 itself');
  t.equal(head.headers.etag, etag);
  t.equal(head.headers['content-length'], String(small.length));
  t.equal(head.headers['content-type'], 'application/octet-stream');
  t.equal(head.headers['x-tilde-meta-source'], 'crm', 'user metadata as X-Tilde-Meta-*');
  res = await agent.download(`${R}/object?${q('data/big.bin')}`, `bytes=${5 * MiB - 3}-`);
  t.equal(res.status, 206, 'a ranged read (200 or a followed 307 would do as well)');
  t.equal(res.body.toString(), 'xxxthe end');
  t.equal(res.headers['content-range'], `bytes ${5 * MiB - 3}-${bigSize - 1}/${bigSize}`);
  t.notOk(res.headers['content-encoding'], 'object bodies are not gzipped although the SDK accepts it');

  // session.commit(): 202, then HEAD …/approve every so often until 404, while a reviewer approves.
  res = await agent.api('POST', `${R}/sessions/${sid}`, { message: 'nightly load', metadata: { run: '7' } });
  t.equal(res.status, 202, 'approval required');
  t.match(res.json(), { approval_required: true, session_id: sid, api_url: String, web_url: String });
  const polls: number[] = [];
  let sawPending!: () => void;
  const pending = new Promise<void>((resolve) => (sawPending = resolve));
  const waiting = (async () => {
    for (let i = 0; i < 3000; i++) { // the SDK polls forever; the test stops by itself
      const status = (await agent.api('HEAD', `${R}/sessions/${sid}/approve`)).status;
      polls.push(status);
      if (status === 200) sawPending();
      if (status !== 200) return status;
      await new Promise((r) => setTimeout(r, 50));
    }
    return -1;
  })();
  await pending;
  res = await admin.api('GET', `${R}/sessions/${sid}/approve?amount=100`);
  t.same(res.json().results.map((c: { path: string }) => c.path), ['data/big.bin', 'data/people.csv'], 'the reviewer sees the staged changes');
  res = await admin.api('POST', `${R}/sessions/${sid}/approve`, { message: 'approved nightly load' });
  t.equal(res.status, 200, `approve: ${res.body}`);
  const approvedId = res.json().commit_id as string;
  t.equal(await waiting, 404, 'the wait loop ends on 404');
  t.ok(polls.length >= 2 && polls.slice(0, -1).every((s) => s === 200), `only 200 while pending, then 404 (${polls.length} polls)`);

  // commit.objects.get(): no ref, no session → the latest commit.
  res = await agent.download(`${R}/object?path=data/people.csv`);
  t.equal(res.body.toString(), small.toString(), 'the approved object is readable at the latest commit');

  // More history, then repo.commits.list() paged with after.
  const ids = [approvedId];
  for (const n of [1, 2, 3]) {
    const s2 = (await admin.api('POST', `${R}/sessions`)).json().session_id;
    const started = (await admin.api('PUT', `${R}/object?session_id=${s2}&path=log/${n}.txt`)).json();
    await putBytes(started.upload_url, `entry ${n}`);
    await admin.api('POST', `${R}/object/finalize?session_id=${s2}&path=log/${n}.txt`, { upload_token: started.upload_token, content_type: 'application/octet-stream' });
    ids.unshift((await admin.api('POST', `${R}/sessions/${s2}`, { message: `log ${n}` })).json().commit_id);
  }
  const seen: Array<{ id: string; parents: string[]; message: string }> = [];
  let after = '';
  for (let page = 0; page < 10; page++) {
    const body = (await agent.api('GET', `${R}/log?amount=2${after ? `&after=${after}` : ''}`)).json();
    seen.push(...body.results);
    if (!body.pagination.has_more) break;
    t.ok(body.pagination.next_offset, 'has_more comes with a next_offset');
    after = body.pagination.next_offset;
  }
  t.same(seen.map((c) => c.id), [...ids, seen.at(-1)!.id], 'every commit once, newest first, then the root');
  const root = seen.at(-1)!;
  t.same(root.parents, [], 'the root commit');

  // commit.diff(): GET the commit, then diff right=id&left=parent; the root without left.
  const approved = (await agent.api('GET', `${R}/commits/${approvedId}`)).json();
  t.match(approved, { committer_type: 'agent', approver_type: 'user', message: 'approved nightly load', metadata: { run: '7', original_message: 'nightly load' } });
  res = await agent.api('GET', `${R}/diff?right=${approvedId}&left=${approved.parents[0]}&amount=100`);
  t.same(res.json().results.map((d: { path: string; status: string }) => [d.path, d.status]), [['data/big.bin', 'added'], ['data/people.csv', 'added']]);
  res = await agent.api('GET', `${R}/diff?right=${root.id}&amount=100`);
  t.equal(res.status, 200, 'a root commit: no left');
  t.same(res.json().results, [], 'the root commit changed nothing');

  // commit.revert(): body {} when no arguments; then the SDK reads the new commit lazily.
  res = await admin.api('POST', `${R}/commits/${ids[0]}/revert`, {});
  t.equal(res.status, 201, `revert: ${res.body}`);
  t.equal((await admin.api('GET', `${R}/commits/${res.json().commit_id}`)).json().message, 'Revert "log 3"');
  t.equal((await agent.download(`${R}/object?path=log/3.txt`)).status, 404, 'the reverted file is gone');
  t.equal((await agent.download(`${R}/object?path=log/2.txt`)).body.toString(), 'entry 2', 'the others stay');
  res = await exchange('GET', `${server.url}/api/v1${R}/object?path=log/2.txt`, { ...SDK_HEADERS });
  t.equal(res.status, 401, 'and nothing without the key');
  t.same(Object.keys(res.json()).sort(), ['code', 'message', 'request_id']);
  server.child.kill('SIGTERM');
  t.equal(await server.exited, 0, 'the server stops cleanly');
}

t.test('the SDK flow against trove serve [embedded]', async (t) => scenario(t, {}));

const url = process.env.TEST_DATABASE_URL;
t.test('the SDK flow against trove serve [postgres]', { skip: url ? false : 'TEST_DATABASE_URL is not set' }, async (t) => {
  const schema = `sdk_${randomBytes(6).toString('hex')}`;
  const adminDb = new pg.Client({ connectionString: url });
  await adminDb.connect();
  await adminDb.query(`CREATE SCHEMA ${schema}`);
  t.teardown(async () => {
    await adminDb.query(`DROP SCHEMA ${schema} CASCADE`);
    await adminDb.end();
  });
  const scoped = new URL(url!);
  scoped.searchParams.set('options', `-c search_path=${schema}`);
  await scenario(t, { TROVE_DATABASE_URL: scoped.toString(), TROVE_ENCRYPTION_KEY: randomBytes(32).toString('base64') });
});
