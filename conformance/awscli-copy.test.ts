// aws cli, `aws s3 cp` and `aws s3 mv` between two keys for an object over the 8 MiB multipart
// threshold: aws cli v2 asks for the source's tags first (GetObjectTagging, answered with an
// empty TagSet), then copies by UploadPartCopy.
import { join } from 'node:path';
import t from 'tap';
import { awsEnv, awsErrorCode, findAwsCli } from './lib/clients.js';
import { run } from './lib/exec.js';
import { makeBigFile, MiB } from './lib/fixtures.js';
import { cells, forEachTarget, scratch } from './lib/targets.js';

for (const major of [1, 2] as const) {
  const cli = await findAwsCli(major);
  t.test(`aws cli v${major}`, { skip: !cli && `aws cli v${major} is not installed` }, async (t) => {
    const root = await scratch(t);
    const mid = await makeBigFile(root, 12 * MiB);
    await forEachTarget(t, root, cells(major === 1 ? 'A' : 'B'), async (t, target) => {
      const aws = (...args: string[]) => run(cli!.bin, ['--endpoint-url', target.url, ...args], { env: awsEnv(target) });
      const bucket = `copy-v${major}`;
      await aws('s3', 'mb', `s3://${bucket}`);
      t.equal((await aws('s3', 'cp', mid.path, `s3://${bucket}/a/mid.bin`, '--only-show-errors')).code, 0);
      const cp = await aws('s3', 'cp', `s3://${bucket}/a/mid.bin`, `s3://${bucket}/b/mid.bin`, '--only-show-errors');
      t.equal(cp.code, 0, `CopyObject_s3_cp_between_keys: ${awsErrorCode(cp.stderr) ?? cp.stderr}`);
      const mv = await aws('s3', 'mv', `s3://${bucket}/b/mid.bin`, `s3://${bucket}/c/mid.bin`, '--only-show-errors');
      t.equal(mv.code, 0, `CopyObject_s3_mv_between_keys: ${awsErrorCode(mv.stderr) ?? mv.stderr}`);
      const back = join(target.dir, 'mid.back');
      t.equal((await aws('s3', 'cp', `s3://${bucket}/c/mid.bin`, back, '--only-show-errors')).code, 0, 'the moved copy reads back');
      const tagging = await aws('s3api', 'get-object-tagging', '--bucket', bucket, '--key', 'a/mid.bin');
      t.equal(tagging.code, 0, `GetObjectTagging_untagged: ${awsErrorCode(tagging.stderr) ?? ''}`);
    });
  });
}
