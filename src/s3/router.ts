// The S3 route table: method × (service | bucket | object) × sub-resource → operation.
// Query-specific entries come before the generic one for the same method and level.
import type { S3Handler } from './context.js';
import type { QueryBag } from './protocol/headers.js';
import { S3Error } from './s3-error.js';
import * as ops from './operations/index.js';

type Level = 'service' | 'bucket' | 'object';

interface Route {
  method: string;
  level: Level;
  /** The query parameter that selects this operation, if any. */
  query?: string;
  /** A header that selects it (x-amz-copy-source for copies). */
  header?: string;
  handler: S3Handler;
}

const ROUTES: Route[] = [
  { method: 'GET', level: 'service', handler: ops.listBuckets },

  { method: 'GET', level: 'bucket', query: 'location', handler: ops.getBucketLocation },
  { method: 'GET', level: 'bucket', query: 'tagging', handler: ops.getBucketTagging },
  { method: 'GET', level: 'bucket', query: 'versioning', handler: ops.getBucketVersioning },
  { method: 'GET', level: 'bucket', query: 'acl', handler: ops.getAcl },
  { method: 'GET', level: 'bucket', query: 'uploads', handler: ops.listMultipartUploads },
  { method: 'GET', level: 'bucket', query: 'versions', handler: ops.listObjectVersions },
  { method: 'GET', level: 'bucket', query: 'list-type', handler: ops.listObjectsV2 },
  { method: 'GET', level: 'bucket', handler: ops.listObjects },
  { method: 'HEAD', level: 'bucket', handler: ops.headBucket },
  { method: 'PUT', level: 'bucket', query: 'versioning', handler: ops.putBucketVersioning },
  { method: 'PUT', level: 'bucket', query: 'acl', handler: ops.putAcl },
  { method: 'PUT', level: 'bucket', handler: ops.createBucket },
  { method: 'DELETE', level: 'bucket', handler: ops.deleteBucket },
  { method: 'POST', level: 'bucket', query: 'delete', handler: ops.deleteObjects },

  { method: 'GET', level: 'object', query: 'acl', handler: ops.getAcl },
  { method: 'GET', level: 'object', query: 'tagging', handler: ops.getObjectTagging },
  { method: 'GET', level: 'object', query: 'uploadId', handler: ops.listParts },
  { method: 'GET', level: 'object', handler: ops.getObject },
  { method: 'HEAD', level: 'object', handler: ops.headObject },
  { method: 'PUT', level: 'object', query: 'acl', handler: ops.putAcl },
  { method: 'PUT', level: 'object', query: 'tagging', handler: ops.putObjectTagging },
  { method: 'PUT', level: 'object', query: 'partNumber', header: 'x-amz-copy-source', handler: ops.uploadPartCopy },
  { method: 'PUT', level: 'object', query: 'partNumber', handler: ops.uploadPart },
  { method: 'PUT', level: 'object', header: 'x-amz-copy-source', handler: ops.copyObject },
  { method: 'PUT', level: 'object', handler: ops.putObject },
  { method: 'POST', level: 'object', query: 'uploads', handler: ops.createMultipartUpload },
  { method: 'POST', level: 'object', query: 'uploadId', handler: ops.completeMultipartUpload },
  { method: 'DELETE', level: 'object', query: 'uploadId', handler: ops.abortMultipartUpload },
  { method: 'DELETE', level: 'object', query: 'tagging', handler: ops.deleteObjectTagging },
  { method: 'DELETE', level: 'object', handler: ops.deleteObject },
];

// Sub-resources S3 has and Trove does not: answered NotImplemented rather than mistaken for
// a listing or an object read.
const UNSUPPORTED = ['tagging', 'policy', 'cors', 'lifecycle', 'website', 'logging', 'notification', 'replication',
  'encryption', 'ownershipControls', 'publicAccessBlock', 'object-lock', 'retention', 'legal-hold', 'torrent',
  'restore', 'select', 'accelerate', 'requestPayment', 'analytics', 'inventory', 'metrics', 'intelligent-tiering',
  'attributes', 'policyStatus'];

/** S3's limit on a key: 1,024 bytes of UTF-8. */
export const MAX_KEY_BYTES = 1024;

// The operations whose body is the object's bytes: they hash it as they store it, and check
// a signed payload SHA-256 from those digests.
const OBJECT_BODIES: ReadonlySet<S3Handler> = new Set([ops.putObject, ops.uploadPart]);

export function storesObjectBody(handler: S3Handler): boolean {
  return OBJECT_BODIES.has(handler);
}

export function route(method: string, bucket: string | null, key: string | null, query: QueryBag, headers: Record<string, unknown>): S3Handler {
  const level: Level = bucket === null ? 'service' : key === null ? 'bucket' : 'object';
  // Before anything is read or stored: no operation can succeed on such a key.
  if (key !== null && Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) throw new S3Error('KeyTooLongError', undefined, { Size: String(Buffer.byteLength(key, 'utf8')), MaxSizeAllowed: String(MAX_KEY_BYTES) });
  const matches = (r: Route) => r.method === method && r.level === level &&
    (r.query === undefined || query[r.query] !== undefined) && (r.header === undefined || headers[r.header] !== undefined);
  // A sub-resource Trove has no route for is NotImplemented, never the generic operation
  // (PUT /bucket?tagging must not create a bucket).
  const specific = ROUTES.find((r) => r.query !== undefined && matches(r));
  if (specific) return specific.handler;
  const unsupported = UNSUPPORTED.find((name) => query[name] !== undefined);
  if (unsupported) throw new S3Error('NotImplemented', `Trove does not implement the ${unsupported} sub-resource here`);
  const found = ROUTES.find(matches);
  if (found) return found.handler;
  if (ROUTES.some((r) => r.level === level && r.method !== method)) throw new S3Error('MethodNotAllowed');
  throw new S3Error('NotImplemented');
}
