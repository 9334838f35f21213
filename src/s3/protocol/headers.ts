// Reading request headers and query parameters in the shapes Node and fastify hand them over.

/** Lower-cased header names, as in `IncomingHttpHeaders`. */
export type HeaderBag = Readonly<Record<string, string | readonly string[] | undefined>>;

/** Query parameters, as fastify's default query parser produces them. */
export type QueryBag = Readonly<Record<string, string | readonly string[] | undefined>>;

/** A header's value; repeated headers are joined with "," as S3 does for `x-amz-meta-*`. */
export function headerValue(headers: HeaderBag, name: string): string | undefined {
  const value = headers[name];
  return typeof value === 'string' || value === undefined ? value : value.join(',');
}

/** A query parameter's value; a repeated parameter yields its first value. */
export function queryValue(query: QueryBag, name: string): string | undefined {
  const value = query[name];
  return typeof value === 'string' || value === undefined ? value : value[0];
}
