// PutBucketVersioning: Enabled is a no-op; Suspended is refused (history cannot be turned off).
import type { S3Context, S3Response } from '../context.js';
import { S3Error } from '../s3-error.js';
import { resolveTarget } from '../target.js';
import { readBody } from './body.js';

export async function putBucketVersioning(ctx: S3Context): Promise<S3Response> {
  await resolveTarget(ctx, 'UpdateRepository');
  const body = (await readBody(ctx, 64 * 1024)).toString('utf8');
  if (/<Status>\s*Suspended\s*<\/Status>/.test(body)) {
    throw new S3Error('InvalidBucketState', 'Versioning cannot be suspended: every Trove repository keeps its history');
  }
  return {};
}
