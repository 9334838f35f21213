// The other `trove` commands, run as users run them (the compiled bin).
import t from 'tap';
import { listMigrations } from '../../src/catalog/migrate.js';
import { runTrove, startServer } from '../helpers/server.js';

t.test('trove migrate, gc and help', async (t) => {
  const dataDir = t.testdir();
  const migrate = runTrove(['migrate'], { TROVE_DATA_DIR: dataDir });
  t.equal(await migrate.exited, 0, migrate.output());
  const latest = Math.max(...(await listMigrations()).map((m) => m.version));
  t.match(migrate.output(), new RegExp(`catalog at migration ${latest}\\b`), 'the newest migration is applied');

  const gc = runTrove(['gc', '--json'], { TROVE_DATA_DIR: dataDir });
  t.equal(await gc.exited, 0, gc.output());
  t.match(JSON.parse(gc.output().trim().split('\n').pop()!), { scanned: 0, deleted: 0 });

  const help = runTrove(['--help'], {});
  t.equal(await help.exited, 0);
  for (const name of ['serve', 'migrate', 'gc', 'admin create-key', 'admin rotate-keys']) t.match(help.output(), name);
  const serveHelp = runTrove(['serve', '--help'], {});
  t.equal(await serveHelp.exited, 0);
  t.match(serveHelp.output(), /TROVE_DATABASE_URL/);

  const unknown = runTrove(['frobnicate'], {});
  t.equal(await unknown.exited, 2, 'an unknown command is a usage error');
  const badFlag = runTrove(['migrate', '--no-such-flag'], { TROVE_DATA_DIR: dataDir });
  t.equal(await badFlag.exited, 2);
  t.match(badFlag.output(), /no-such-flag/);
});

t.test('trove session open, commit and rollback', async (t) => {
  const dataDir = t.testdir();
  const admin = { TROVE_ADMIN_ACCESS_KEY_ID: 'TKSESSIONCLI00000001', TROVE_ADMIN_SECRET_ACCESS_KEY: 'tuk-session-cli-secret-0123456789abcdefghijk' };
  const server = await startServer({ TROVE_DATA_DIR: dataDir, ...admin });
  const res = await fetch(`${server.url}/api/v1/organizations/default/repositories`, {
    method: 'POST', headers: { authorization: `Bearer ${admin.TROVE_ADMIN_SECRET_ACCESS_KEY}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'jobs' }),
  });
  t.equal(res.status, 201);
  server.child.kill('SIGTERM');
  await server.exited;

  const env = { TROVE_DATA_DIR: dataDir };
  const opened = runTrove(['session', 'open', '--repo', 'default/jobs', '--json'], env);
  t.equal(await opened.exited, 0, opened.output());
  const session = JSON.parse(opened.output().trim().split('\n').pop()!);
  t.match(session, { bucket: 'jobs', access_key_id: /^TK/, secret_access_key: /^tuk-/ });
  const committed = runTrove(['session', 'commit', session.session_id, '--repo', 'jobs', '--message', 'empty batch'], env);
  t.equal(await committed.exited, 0, committed.output());
  t.match(committed.output(), /^[0-9a-f]{64}$/m, 'prints the commit id');
  const second = runTrove(['session', 'open', '--repo', 'jobs', '--json'], env);
  t.equal(await second.exited, 0);
  const id = JSON.parse(second.output().trim().split('\n').pop()!).session_id;
  const rolled = runTrove(['session', 'rollback', id, '--repo', 'jobs'], env);
  t.equal(await rolled.exited, 0, rolled.output());
  const again = runTrove(['session', 'commit', id, '--repo', 'jobs'], env);
  t.equal(await again.exited, 1, 'a rolled-back session cannot be committed');
  t.match(again.output(), /rolled back/);
});
