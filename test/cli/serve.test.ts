// The server as a process: start-up, bootstrap credentials, the data-directory lock, an
// acknowledged commit surviving kill -9, and a graceful SIGTERM.
import { readFile, stat } from 'node:fs/promises';
import t from 'tap';
import { runTrove, startServer, type RunningServer } from '../helpers/server.js';

const ADMIN = { TROVE_ADMIN_ACCESS_KEY_ID: 'TKPROCESSTEST0000001', TROVE_ADMIN_SECRET_ACCESS_KEY: 'tuk-process-test-secret-0123456789abcdefghij' };
const auth = { authorization: `Bearer ${ADMIN.TROVE_ADMIN_SECRET_ACCESS_KEY}` };

async function api(server: RunningServer, method: string, path: string, body?: unknown) {
  const res = await fetch(`${server.url}/api/v1${path}`, {
    method, headers: { ...auth, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

/** Writes one object through a session and commits it; returns the commit id. */
async function commitObject(server: RunningServer, repo: string, path: string, content: string): Promise<string> {
  const R = `/organizations/default/repositories/${repo}`;
  const sid = (await api(server, 'POST', `${R}/sessions`)).json.session_id;
  const put = (await api(server, 'PUT', `${R}/object?session_id=${sid}&path=${encodeURIComponent(path)}`)).json;
  const uploaded = await fetch(put.upload_url, { method: 'PUT', body: content, headers: { 'content-type': 'application/octet-stream' } });
  if (!uploaded.ok) throw new Error(`upload failed: ${uploaded.status}`);
  await api(server, 'POST', `${R}/object/finalize?session_id=${sid}&path=${encodeURIComponent(path)}`, { upload_token: put.upload_token });
  const commit = await api(server, 'POST', `${R}/sessions/${sid}`, { message: `write ${path}` });
  if (commit.status !== 200) throw new Error(`commit failed: ${JSON.stringify(commit.json)}`);
  return commit.json.commit_id;
}

t.test('an acknowledged commit survives kill -9, and a second server is refused', async (t) => {
  const dataDir = t.testdir();
  const env = { TROVE_DATA_DIR: dataDir, ...ADMIN };
  let server = await startServer(env);
  t.teardown(() => server.child.kill('SIGKILL'));

  t.equal((await api(server, 'POST', '/organizations/default/repositories', { name: 'durable' })).status, 201);

  const second = runTrove(['serve'], { ...env, TROVE_PORT: '1' });
  t.equal(await second.exited, 2, 'the second server exits at once with a usage error');
  t.match(second.output(), /data directory .* is in use by process \d+/);

  const commitId = await commitObject(server, 'durable', 'k/v.txt', 'survives');
  server.child.kill('SIGKILL'); // right after the commit was acknowledged
  t.equal(await server.exited, 'SIGKILL');

  server = await startServer(env);
  const body = await fetch(`${server.url}/api/v1/organizations/default/repositories/durable/object?path=k/v.txt`, { headers: auth });
  t.equal(body.status, 200);
  t.equal(await body.text(), 'survives', 'the object is there after the restart');
  const log = await api(server, 'GET', '/organizations/default/repositories/durable/log');
  t.equal(log.json.results[0].id, commitId, 'and so is the commit');

  server.child.kill('SIGTERM');
  t.equal(await server.exited, 0, 'SIGTERM closes cleanly');
});

t.test('first start without configured credentials generates an admin key, shown once and kept 0600', async (t) => {
  const dataDir = t.testdir();
  const server = await startServer({ TROVE_DATA_DIR: dataDir });
  t.teardown(() => server.child.kill('SIGKILL'));
  const file = `${dataDir}/admin-credentials.json`;
  const credentials = JSON.parse(await readFile(file, 'utf8'));
  t.equal((await stat(file)).mode & 0o777, 0o600);
  t.match(credentials.access_key_id, /^TK[A-Z0-9]{18}$/);
  t.ok(server.output().includes(credentials.secret_access_key), 'printed once at start-up');
  const res = await fetch(`${server.url}/api/v1/organizations/default/repositories`, { headers: { authorization: `Bearer ${credentials.secret_access_key}` } });
  t.equal(res.status, 200, 'the generated key works as a Bearer token');
  server.child.kill('SIGTERM');
  t.equal(await server.exited, 0);
});

t.test('trove admin create-key works on the catalog directly, and refuses while a server holds it', async (t) => {
  const dataDir = t.testdir();
  const created = runTrove(['admin', 'create-key', '--user', 'bob', '--json'], { TROVE_DATA_DIR: dataDir });
  t.equal(await created.exited, 0, created.output());
  const key = JSON.parse(created.output().trim().split('\n').pop()!);
  t.match(key, { user: 'bob', organization: 'default' });
  t.match(key.secret_access_key, /^tuk-/);

  const server = await startServer({ TROVE_DATA_DIR: dataDir });
  t.teardown(() => server.child.kill('SIGKILL'));
  const res = await fetch(`${server.url}/api/v1/organizations/default/repositories`, { headers: { authorization: `Bearer ${key.secret_access_key}` } });
  t.equal(res.status, 200, "bob's key works against the server");
  const blocked = runTrove(['admin', 'create-key', '--user', 'carol'], { TROVE_DATA_DIR: dataDir });
  t.equal(await blocked.exited, 2);
  t.match(blocked.output(), /in use/);
  server.child.kill('SIGTERM');
  await server.exited;
});
