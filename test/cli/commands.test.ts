// The other `trove` commands, run as users run them (the compiled bin).
import t from 'tap';
import { runTrove } from '../helpers/server.js';

t.test('trove migrate, gc and help', async (t) => {
  const dataDir = t.testdir();
  const migrate = runTrove(['migrate'], { TROVE_DATA_DIR: dataDir });
  t.equal(await migrate.exited, 0, migrate.output());
  t.match(migrate.output(), /catalog at migration 1/);

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
