// response-* query parameters of GetObject / HeadObject, which replace stored headers in the
// response. S3 honours them only on signed (or presigned) requests.
import { S3Error } from '../s3-error.js';
import { queryValue, type QueryBag } from './headers.js';

/** Query parameter -> the response header it sets. */
export const RESPONSE_OVERRIDES = {
  'response-content-type': 'content-type',
  'response-content-language': 'content-language',
  'response-expires': 'expires',
  'response-cache-control': 'cache-control',
  'response-content-disposition': 'content-disposition',
  'response-content-encoding': 'content-encoding',
} as const;

/**
 * The response headers the query overrides (lower-case names). Any override on an anonymous
 * request -> InvalidRequest, with S3's message.
 */
export function responseHeaderOverrides(query: QueryBag, opts: { anonymous: boolean }): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [param, header] of Object.entries(RESPONSE_OVERRIDES)) {
    const value = queryValue(query, param);
    if (value !== undefined) headers[header] = value;
  }
  if (opts.anonymous && Object.keys(headers).length > 0) {
    throw new S3Error('InvalidRequest', 'Request specific response headers cannot be used for anonymous GET requests.');
  }
  return headers;
}
