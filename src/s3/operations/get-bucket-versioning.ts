// GetBucketVersioning: always Enabled, since every repository keeps its history.
import type { S3Context, S3Response } from '../context.js';
import { buildXml } from '../xml.js';
import { resolveTarget } from '../target.js';

export async function getBucketVersioning(ctx: S3Context): Promise<S3Response> {
  await resolveTarget(ctx, 'GetRepository');
  return { body: buildXml('VersioningConfiguration', { Status: 'Enabled' }) };
}
