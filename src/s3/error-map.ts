// Domain errors from core/ → S3 error codes, at the edge.
import {
  AlreadyExistsError, ChecksumMismatchError, ConflictError, ForbiddenError, GoneError, InvalidError,
  NotFoundError, NotImplementedError, PreconditionFailedError, UnauthenticatedError,
} from '../errors.js';
import { BlobSizeMismatchError } from '../blobstore/blob-store.js';
import { MultipartError } from '../core/multipart.js';
import { S3Error } from './s3-error.js';
import { SigV4Error } from './sigv4/errors.js';

export function toS3Error(err: unknown, ctx: { bucket: string | null; key: string | null }): S3Error {
  if (err instanceof S3Error) return err;
  if (err instanceof SigV4Error) return new S3Error(err.code, err.message, err.extra);
  if (err instanceof NotFoundError) {
    if (err.resource === 'repository' || err.resource === 'organization') return new S3Error('NoSuchBucket', undefined, { BucketName: ctx.bucket ?? '' });
    if (err.resource === 'upload') return new S3Error('NoSuchUpload');
    if (err.resource === 'session') return new S3Error('AccessDenied', 'The session these credentials belong to has ended');
    if (err.resource === 'commit') return new S3Error('NoSuchBucket', undefined, { BucketName: ctx.bucket ?? '' });
    return new S3Error('NoSuchKey', undefined, { Key: ctx.key ?? '' });
  }
  if (err instanceof GoneError) return new S3Error('NoSuchBucket', undefined, { BucketName: ctx.bucket ?? '' });
  if (err instanceof BlobSizeMismatchError) return new S3Error('IncompleteBody', err.message);
  if (err instanceof ChecksumMismatchError) return new S3Error('BadDigest', err.message);
  if (err instanceof PreconditionFailedError) return new S3Error('PreconditionFailed');
  if (err instanceof UnauthenticatedError) return new S3Error('AccessDenied', err.message);
  if (err instanceof ForbiddenError) return new S3Error('AccessDenied', err.message);
  if (err instanceof AlreadyExistsError) return new S3Error('BucketAlreadyOwnedByYou');
  if (err instanceof ConflictError) return new S3Error('OperationAborted', err.message);
  if (err instanceof MultipartError) return new S3Error(err.reason, err.message, err.details);
  if (err instanceof InvalidError) return new S3Error('InvalidArgument', err.message);
  if (err instanceof NotImplementedError) return new S3Error('NotImplemented', err.message);
  return new S3Error('InternalError');
}
