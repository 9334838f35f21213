// Bucket names. A bucket is a repository, or `<repo>.<commit>` to read a past commit (time
// travel): that is why repository names may not contain dots, a stricter rule than S3's.
import { S3Error } from '../s3-error.js';

/** The time-travel form accepts a full commit id or a unique prefix of at least this many digits. */
export const MIN_COMMIT_REF_LENGTH = 8;
const COMMIT_REF = /^[0-9a-f]{8,64}$/;

// S3's rules for new general purpose buckets, minus dots. Without dots a name can never look
// like an IP address (192.168.5.4), so S3's "not IP-like" rule needs no check of its own.
const SHAPE = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;
const RESERVED_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];
const RESERVED_SUFFIXES = ['-s3alias', '--ol-s3', '--x-s3', '--table-s3'];

export function isValidBucketName(name: string): boolean {
  return (
    SHAPE.test(name) &&
    !RESERVED_PREFIXES.some((prefix) => name.startsWith(prefix)) &&
    !RESERVED_SUFFIXES.some((suffix) => name.endsWith(suffix))
  );
}

/** For CreateBucket: throws InvalidBucketName unless `name` may name a new repository. */
export function assertValidBucketName(name: string): void {
  if (!isValidBucketName(name)) {
    throw new S3Error('InvalidBucketName', undefined, { BucketName: name });
  }
}

export interface BucketRef {
  repo: string;
  /** A full commit id or a hex prefix of at least 8 digits; absent for the live repository. */
  commitRef?: string;
}

/**
 * Splits a bucket name from a request into repository and optional commit. A name no
 * repository can have (bad shape, or anything after the dot but a lower-case hex commit ref)
 * throws NoSuchBucket, which is what S3 answers for a bucket that does not exist.
 */
export function parseBucketName(bucket: string): BucketRef {
  const dot = bucket.indexOf('.');
  const repo = dot < 0 ? bucket : bucket.slice(0, dot);
  const commitRef = dot < 0 ? undefined : bucket.slice(dot + 1);
  if (!isValidBucketName(repo) || (commitRef !== undefined && !COMMIT_REF.test(commitRef))) {
    throw new S3Error('NoSuchBucket', undefined, { BucketName: bucket });
  }
  return commitRef === undefined ? { repo } : { repo, commitRef };
}
