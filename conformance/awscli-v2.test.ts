// aws cli v2 (Debian's awscli package) against every target: see lib/awscli-cases.ts.
import t from 'tap';
import { awsCliCases } from './lib/awscli-cases.js';
import { findAwsCli } from './lib/clients.js';
import { makeFixtures } from './lib/fixtures.js';
import { cells, forEachTarget, scratch } from './lib/targets.js';

const cli = await findAwsCli(2);

t.test('aws cli v2', { skip: !cli && 'aws cli v2 is not installed (no aws-cli/2.x on PATH or in /usr/bin: apt-get install awscli)' }, async (t) => {
  t.comment(`${cli!.bin}: ${cli!.version}`);
  const root = await scratch(t);
  const fx = await makeFixtures(root);
  await forEachTarget(t, root, cells('B'), (t, target) => awsCliCases(t, target, cli!, fx));
});
