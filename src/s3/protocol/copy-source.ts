// The copy headers of CopyObject and UploadPartCopy: x-amz-copy-source, its byte range and
// x-amz-metadata-directive.
import { S3Error } from '../s3-error.js';
import type { ByteRange } from './range.js';

export interface CopySource {
  /** As sent: a repository, or `<repo>.<commit>` (see bucket-name.ts). */
  bucket: string;
  key: string;
  versionId?: string;
}

const COPY_SOURCE_FORM = 'Copy Source must mention the source bucket and key: sourcebucket/sourcekey';

function badCopySource(header: string, message = COPY_SOURCE_FORM): S3Error {
  return new S3Error('InvalidArgument', message, { ArgumentName: 'x-amz-copy-source', ArgumentValue: header });
}

/**
 * `bucket/key` or `/bucket/key`, URL-encoded, optionally followed by `?versionId=<id>`. The
 * query is split off before decoding, so a key with an encoded `?` (%3F) stays whole.
 */
export function parseCopySource(header: string): CopySource {
  const question = header.indexOf('?');
  const encodedPath = question < 0 ? header : header.slice(0, question);
  let path: string;
  try {
    path = decodeURIComponent(encodedPath);
  } catch {
    throw badCopySource(header, 'Invalid copy source encoding');
  }
  if (path.startsWith('/')) path = path.slice(1);
  const slash = path.indexOf('/');
  const bucket = slash < 0 ? '' : path.slice(0, slash);
  const key = slash < 0 ? '' : path.slice(slash + 1);
  if (bucket === '' || key === '') throw badCopySource(header);
  const versionId = question < 0 ? null : new URLSearchParams(header.slice(question + 1)).get('versionId');
  if (versionId === null) return { bucket, key };
  if (versionId === '') throw badCopySource(header, 'Version id cannot be the empty string');
  return { bucket, key, versionId };
}

const COPY_RANGE = /^bytes=(\d+)-(\d+)$/;
const COPY_RANGE_FORM =
  'The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy';

/** `bytes=first-last` (both required, first <= last), undefined when absent; else InvalidArgument. */
export function parseCopySourceRange(header: string | undefined): ByteRange | undefined {
  if (header === undefined) return undefined;
  const match = COPY_RANGE.exec(header.trim());
  const start = Number(match?.[1]);
  const end = Number(match?.[2]);
  if (!match || end < start) {
    throw new S3Error('InvalidArgument', COPY_RANGE_FORM, { ArgumentName: 'x-amz-copy-source-range', ArgumentValue: header });
  }
  return { start, end };
}

/** Unlike a GET Range, a copy range is not clamped: it must lie within the source. */
export function checkCopySourceRange(range: ByteRange, sourceSize: number): void {
  if (range.end >= sourceSize) {
    throw new S3Error('InvalidArgument', `Range specified is not valid for source object of size: ${sourceSize}`, {
      ArgumentName: 'x-amz-copy-source-range',
      ArgumentValue: `bytes=${range.start}-${range.end}`,
    });
  }
}

export type MetadataDirective = 'COPY' | 'REPLACE';

/** x-amz-metadata-directive: COPY (the default) keeps the source's metadata, REPLACE takes the request's. */
export function parseMetadataDirective(value: string | undefined): MetadataDirective {
  if (value === undefined || value === 'COPY') return 'COPY';
  if (value === 'REPLACE') return 'REPLACE';
  throw new S3Error('InvalidArgument', 'Unknown metadata directive.', {
    ArgumentName: 'x-amz-metadata-directive',
    ArgumentValue: value,
  });
}

/** S3 refuses a copy of an object onto itself that would change nothing. */
export function checkNotCopyOntoItself(sameObject: boolean, directive: MetadataDirective): void {
  if (sameObject && directive === 'COPY') {
    throw new S3Error(
      'InvalidRequest',
      "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
    );
  }
}
