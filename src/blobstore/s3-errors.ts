// Maps the S3 backend's errors onto domain errors where a caller can act on them.
import { InvalidError, NotFoundError } from '../errors.js';

interface S3ErrorShape {
  name?: string;
  $metadata?: { httpStatusCode?: number };
}

function shapeOf(err: unknown): S3ErrorShape {
  return typeof err === 'object' && err !== null ? (err as S3ErrorShape) : {};
}

/** NoSuchKey from GET, a bodiless 404 (`NotFound`) from HEAD; a missing bucket is not a missing blob. */
export function isS3NotFound(err: unknown): boolean {
  const { name, $metadata } = shapeOf(err);
  if (name === 'NoSuchBucket') return false;
  return name === 'NoSuchKey' || name === 'NotFound' || $metadata?.httpStatusCode === 404;
}

export function translateS3Error(err: unknown, address: string): unknown {
  if (isS3NotFound(err)) return new NotFoundError('blob', `blob ${address} not found`);
  const { name, $metadata } = shapeOf(err);
  if (name === 'InvalidRange' || $metadata?.httpStatusCode === 416)
    return new InvalidError(`byte range starts past the end of blob ${address}`, 'range');
  return err;
}
