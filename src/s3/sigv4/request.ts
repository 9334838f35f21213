// The request as the HTTP layer hands it over, and the one parsed form every later step reads:
// the raw path and query exactly as sent, the query parameters decoded once, header lookup.
import { percentDecode } from './uri.js';

export interface SignedRequest {
  method: string;
  /** The request target as sent: path and query string, undecoded (Node's `req.url`). */
  url: string;
  /** Lower-case names (Node's `req.headers`): duplicates joined with ', ', arrays joined with ','. */
  headers: Readonly<Record<string, string | readonly string[] | undefined>>;
}

export interface QueryParam {
  /** As sent, still percent-encoded. */
  rawName: string;
  rawValue: string;
  /** Whether an '=' followed the name (`?uploads` versus `?uploads=`). */
  hasEquals: boolean;
  /** Decoded (UTF-8, `+` as space). */
  name: string;
  value: string;
}

export interface ParsedRequest {
  method: string;
  rawPath: string;
  rawQuery: string;
  params: readonly QueryParam[];
  header(name: string): string | undefined;
  headerNames: readonly string[];
}

/** Splits `url` into path and query; an absolute-form target (`http://host/p`) keeps only the path. */
export function splitTarget(url: string): { rawPath: string; rawQuery: string } {
  const absolute = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?]*/.exec(url);
  const target = absolute ? url.slice(absolute[0].length) : url;
  const question = target.indexOf('?');
  const rawPath = question < 0 ? target : target.slice(0, question);
  return { rawPath: rawPath === '' ? '/' : rawPath, rawQuery: question < 0 ? '' : target.slice(question + 1) };
}

export function parseQuery(rawQuery: string): QueryParam[] {
  const params: QueryParam[] = [];
  for (const part of rawQuery.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const rawName = eq < 0 ? part : part.slice(0, eq);
    const rawValue = eq < 0 ? '' : part.slice(eq + 1);
    params.push({ rawName, rawValue, hasEquals: eq >= 0, name: percentDecode(rawName).toString('utf8'), value: percentDecode(rawValue).toString('utf8') });
  }
  return params;
}

export function parseRequest(req: SignedRequest): ParsedRequest {
  const { rawPath, rawQuery } = splitTarget(req.url);
  const headers = req.headers;
  return {
    method: req.method.toUpperCase(),
    rawPath,
    rawQuery,
    params: parseQuery(rawQuery),
    header(name) {
      const value = headers[name];
      return typeof value === 'string' || value === undefined ? value : value.join(',');
    },
    headerNames: Object.keys(headers).filter((name) => headers[name] !== undefined),
  };
}

/** The first value of a query parameter (names are case-sensitive, as in S3). */
export function queryValue(req: ParsedRequest, name: string): string | undefined {
  return req.params.find((p) => p.name === name)?.value;
}
