// aws cli v1 (the Python one on PATH) against every target: see lib/awscli-cases.ts.
import t from 'tap';
import { awsCliCases } from './lib/awscli-cases.js';
import { findAwsCli } from './lib/clients.js';
import { makeFixtures } from './lib/fixtures.js';
import { cells, forEachTarget, scratch } from './lib/targets.js';

const cli = await findAwsCli(1);

t.test('aws cli v1', { skip: !cli && 'aws cli v1 is not installed (no aws-cli/1.x on PATH: pip install awscli)' }, async (t) => {
  t.comment(`${cli!.bin}: ${cli!.version}`);
  const root = await scratch(t);
  const fx = await makeFixtures(root);
  await forEachTarget(t, root, cells('A'), (t, target) => awsCliCases(t, target, cli!, fx));
});
