// The x-amz-acl header. Trove has no ACLs (access is its own RBAC), but tools send canned ACLs
// routinely, so valid values are accepted and ignored, and invalid ones refused as S3 does.
import { S3Error } from '../s3-error.js';

export const OBJECT_CANNED_ACLS = [
  'private',
  'public-read',
  'public-read-write',
  'authenticated-read',
  'aws-exec-read',
  'bucket-owner-read',
  'bucket-owner-full-control',
] as const;

/** Buckets accept one more: log-delivery-write. */
export const BUCKET_CANNED_ACLS = [...OBJECT_CANNED_ACLS, 'log-delivery-write'] as const;

export type CannedAcl = (typeof BUCKET_CANNED_ACLS)[number];

/** The canned ACL, undefined when absent; anything else -> InvalidArgument. */
export function parseCannedAcl(value: string | undefined, target: 'object' | 'bucket' = 'object'): CannedAcl | undefined {
  if (value === undefined) return undefined;
  const allowed: readonly string[] = target === 'bucket' ? BUCKET_CANNED_ACLS : OBJECT_CANNED_ACLS;
  if (!allowed.includes(value)) {
    throw new S3Error('InvalidArgument', undefined, { ArgumentName: 'x-amz-acl', ArgumentValue: value });
  }
  return value as CannedAcl;
}
