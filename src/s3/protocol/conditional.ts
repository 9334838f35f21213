// Conditional requests (RFC 9110 §13.2.2 order, as S3 documents it):
// 1. If-Match false -> 412; if it is present, If-Unmodified-Since is not consulted
//    (so If-Match true + If-Unmodified-Since false -> 200).
// 2. Otherwise If-Unmodified-Since false -> 412.
// 3. If-None-Match false -> 304 on reads; if it is present, If-Modified-Since is not consulted
//    (so If-None-Match false + If-Modified-Since true -> 304).
// 4. Otherwise If-Modified-Since false -> 304.
// Copy sources follow the same order with 412 in place of 304, as S3 documents for
// x-amz-copy-source-if-*. Unparseable dates are ignored, as RFC 9110 requires.
import { S3Error } from '../s3-error.js';
import { etagListMatches } from './etag.js';
import { headerValue, type HeaderBag } from './headers.js';

export interface Conditions {
  ifMatch?: string;
  ifNoneMatch?: string;
  ifModifiedSince?: string;
  ifUnmodifiedSince?: string;
}

export interface ObjectVersionState {
  etag: string;
  lastModified: Date;
}

export type ConditionOutcome = 'proceed' | 'not-modified' | 'precondition-failed';

/** If-Match, If-None-Match, If-Modified-Since, If-Unmodified-Since of a request. */
export function conditionsFromHeaders(headers: HeaderBag, prefix = ''): Conditions {
  return {
    ifMatch: headerValue(headers, `${prefix}if-match`),
    ifNoneMatch: headerValue(headers, `${prefix}if-none-match`),
    ifModifiedSince: headerValue(headers, `${prefix}if-modified-since`),
    ifUnmodifiedSince: headerValue(headers, `${prefix}if-unmodified-since`),
  };
}

/** The x-amz-copy-source-if-* headers of CopyObject / UploadPartCopy. */
export function copySourceConditionsFromHeaders(headers: HeaderBag): Conditions {
  return conditionsFromHeaders(headers, 'x-amz-copy-source-');
}

const ASCTIME = /^[A-Za-z]{3} [A-Za-z]{3} [ \d]\d \d\d:\d\d:\d\d \d{4}$/;

/** An HTTP date (IMF-fixdate, RFC 850 or asctime, the latter meaning GMT), or null. */
export function parseHttpDate(value: string): Date | null {
  const text = value.trim();
  const ms = Date.parse(ASCTIME.test(text) ? `${text} GMT` : text);
  return Number.isNaN(ms) ? null : new Date(ms);
}

type Failure = { outcome: 'not-modified' } | { outcome: 'precondition-failed'; condition: string };

// HTTP dates have whole seconds: compare Last-Modified at that precision.
function modifiedAfter(state: ObjectVersionState, value: string | undefined): boolean | null {
  const date = value === undefined ? null : parseHttpDate(value);
  if (date === null) return null;
  return Math.floor(state.lastModified.getTime() / 1000) > Math.floor(date.getTime() / 1000);
}

function judge(c: Conditions, state: ObjectVersionState): Failure | null {
  if (c.ifMatch !== undefined) {
    if (!etagListMatches(c.ifMatch, state.etag)) return { outcome: 'precondition-failed', condition: 'If-Match' };
  } else if (modifiedAfter(state, c.ifUnmodifiedSince) === true) {
    return { outcome: 'precondition-failed', condition: 'If-Unmodified-Since' };
  }
  if (c.ifNoneMatch !== undefined) {
    if (etagListMatches(c.ifNoneMatch, state.etag)) return { outcome: 'not-modified' };
  } else if (modifiedAfter(state, c.ifModifiedSince) === false) {
    return { outcome: 'not-modified' };
  }
  return null;
}

/** For GetObject / HeadObject. */
export function evaluateReadConditions(c: Conditions, state: ObjectVersionState): ConditionOutcome {
  return judge(c, state)?.outcome ?? 'proceed';
}

/** For GetObject / HeadObject: throws NotModified (304) or PreconditionFailed (412). */
export function checkReadConditions(c: Conditions, state: ObjectVersionState): void {
  const failure = judge(c, state);
  if (failure?.outcome === 'not-modified') throw new S3Error('NotModified');
  if (failure) throw new S3Error('PreconditionFailed', undefined, { Condition: failure.condition });
}

/** For CopyObject / UploadPartCopy: every failed x-amz-copy-source-if-* is 412. */
export function checkCopySourceConditions(c: Conditions, state: ObjectVersionState): void {
  const failure = judge(c, state);
  if (!failure) return;
  const condition = failure.outcome === 'not-modified' ? notModifiedCondition(c) : failure.condition;
  throw new S3Error('PreconditionFailed', undefined, { Condition: `x-amz-copy-source-${condition}` });
}

function notModifiedCondition(c: Conditions): string {
  return c.ifNoneMatch !== undefined ? 'If-None-Match' : 'If-Modified-Since';
}

/**
 * Conditional writes (PutObject, CompleteMultipartUpload, CopyObject's destination,
 * DeleteObject). `current` is the live version at the key, or null when there is none.
 * - If-None-Match: only `*` is supported (else 501 NotImplemented, as S3); 412 if the key exists.
 * - If-Match: 412 if the ETag differs; 404 NoSuchKey if nothing is there, as S3 documents
 *   for conditional writes ("If there's no current object version ... 404 Not Found").
 */
export function checkWriteConditions(c: Pick<Conditions, 'ifMatch' | 'ifNoneMatch'>, current: { etag: string } | null): void {
  if (c.ifNoneMatch !== undefined) {
    if (c.ifNoneMatch.trim() !== '*') throw new S3Error('NotImplemented', undefined, { Header: 'If-None-Match' });
    if (current) throw new S3Error('PreconditionFailed', undefined, { Condition: 'If-None-Match' });
  }
  if (c.ifMatch !== undefined) {
    if (!current) throw new S3Error('NoSuchKey');
    if (!etagListMatches(c.ifMatch, current.etag)) throw new S3Error('PreconditionFailed', undefined, { Condition: 'If-Match' });
  }
}
