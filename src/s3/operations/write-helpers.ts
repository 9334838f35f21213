// Turning S3 request headers into what core's writes take.
import type { WriteCondition } from '../../core/objects.js';
import type { Conditions } from '../protocol/conditional.js';
import type { SystemMetadata } from '../protocol/metadata.js';
import { S3Error } from '../s3-error.js';

/** If-None-Match: * and If-Match on writes; anything else there is not a write condition S3 has. */
export function writeCondition(c: Conditions): WriteCondition | undefined {
  if (c.ifNoneMatch !== undefined && c.ifNoneMatch !== '*') throw new S3Error('NotImplemented', 'If-None-Match on writes supports only *');
  if (c.ifNoneMatch === undefined && c.ifMatch === undefined) return undefined;
  return { ...(c.ifNoneMatch === '*' ? { ifNoneMatch: '*' as const } : {}), ...(c.ifMatch !== undefined ? { ifMatch: c.ifMatch } : {}) };
}

/** The stored HTTP headers of an object (everything of SystemMetadata but the content type). */
export function httpHeadersOf(system: SystemMetadata): Record<string, string> {
  const { contentType: _contentType, ...rest } = system;
  return Object.fromEntries(Object.entries(rest).filter((e): e is [string, string] => typeof e[1] === 'string'));
}
