// `trove run` wrapping unchanged tools: aws s3 sync lands as one commit; a command that fails
// halfway lands nothing.
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import t from 'tap';
import { startServer, TROVE_BIN } from '../test/helpers/server.js';

const exec = promisify(execFile);
const ADMIN = { id: 'TKRUNCONFORMANCE0001', secret: 'tuk-run-conformance-secret-0123456789abcdefghijk' };
const hasAws = await exec('aws', ['--version']).then(() => true, () => false);

t.test('trove run', { skip: !hasAws && 'the aws command is not installed' }, async (t) => {
  const dir = t.testdir();
  const server = await startServer({ TROVE_DATA_DIR: join(dir, 'data'), TROVE_ADMIN_ACCESS_KEY_ID: ADMIN.id, TROVE_ADMIN_SECRET_ACCESS_KEY: ADMIN.secret });
  t.teardown(() => server.child.kill('SIGKILL'));
  const auth = { authorization: `Bearer ${ADMIN.secret}` };
  await fetch(`${server.url}/api/v1/organizations/default/repositories`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: '{"name":"runs"}' });
  const folder = join(dir, 'folder');
  await mkdir(folder);
  for (let i = 0; i < 20; i++) await writeFile(join(folder, `f${i}.txt`), `${i}\n`);
  const env = { ...process.env, TROVE_API_KEY: ADMIN.secret, AWS_CONFIG_FILE: join(dir, 'none'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'none') };
  const log = async () => ((await (await fetch(`${server.url}/api/v1/organizations/default/repositories/runs/log`, { headers: auth })).json()) as { results: Array<{ id: string; message: string }> }).results;
  const trove = (...args: string[]) => exec(process.execPath, [TROVE_BIN, 'run', '--repo', 'default/runs', '--endpoint', server.url, ...args], { env });

  const before = (await log()).length;
  const ok = await trove('--message', 'sync folder', '--', 'aws', 's3', 'sync', folder, 's3://runs/data');
  const commits = await log();
  t.equal(commits.length, before + 1, '20 uploads, one commit');
  t.equal(commits[0]!.id, ok.stdout.trim().split('\n').pop(), 'trove run prints the commit id last');
  t.equal(commits[0]!.message, 'sync folder');

  const failing = await trove('--', 'sh', '-c', `aws s3 cp ${join(folder, 'f1.txt')} s3://runs/partial.txt && exit 3`).then(() => 0, (e: { code: number }) => e.code);
  t.equal(failing, 3, "trove run exits with the command's code");
  t.equal((await log()).length, before + 1, 'nothing landed from the failed run');
  const missing = await fetch(`${server.url}/api/v1/organizations/default/repositories/runs/object?path=partial.txt`, { headers: auth });
  t.equal(missing.status, 404);
});
