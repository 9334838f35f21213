// JSON Schema building blocks shared by every REST route. Fastify validates requests with
// them (a failure is a 400 `{message, code, request_id}`), serializes responses with them,
// and openapi.ts publishes the very same objects, so the document cannot drift from the code.
// Objects never set `additionalProperties: false` on requests: unknown body fields are
// accepted and ignored (API-CONTRACT §0.4).

export type Schema = Record<string, unknown>;

export const UUID = { type: 'string', format: 'uuid' } as const;
export const TIMESTAMP = { type: 'string', format: 'date-time' } as const;
export const NULLABLE_TIMESTAMP = { type: ['string', 'null'], format: 'date-time' } as const;
export const NULLABLE_STRING = { type: ['string', 'null'] } as const;
export const STRING_MAP = { type: 'object', additionalProperties: { type: 'string' } } as const;
/** Slugs of new organizations, roles and agents (API-CONTRACT §0.4). */
export const SLUG = { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{1,62}$' } as const;
/** New repository names: S3 bucket names without dots (the S3 door's time-travel form uses the dot). */
export const REPO_NAME = { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$' } as const;
/**
 * A name in a URL. Looser than SLUG: names made by other doors (the CLI, the S3 gateway) must
 * stay reachable, so a name that could exist answers 404, not 400, when nothing has it.
 */
export const NAME_PARAM = { type: 'string', minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' } as const;
/** Key ids are opaque (the bootstrap admin's comes from the environment). */
export const KEY_ID = { type: 'string', minLength: 1, maxLength: 128 } as const;
/**
 * A commit: its id (64 hex digits) or a unique prefix of at least 8. Any other string is
 * accepted and found nowhere (404, as the contract says of an unknown ref), not refused.
 */
export const COMMIT_REF = { type: 'string', minLength: 1, maxLength: 256 } as const;
export const OBJECT_PATH = { type: 'string', minLength: 1, maxLength: 1024 } as const;
export const PRINCIPAL_TYPE = { type: 'string', enum: ['user', 'group', 'role', 'agent'] } as const;

export function object(properties: Record<string, unknown>, required: readonly string[] = []): Schema {
  return { type: 'object', properties, ...(required.length ? { required } : {}) };
}

/** Path parameters: every one is required. */
export function params(properties: Record<string, unknown>): Schema {
  return { type: 'object', properties, required: Object.keys(properties) };
}

export const ORG_PARAMS = params({ org: NAME_PARAM });
export const REPO_PARAMS = params({ org: NAME_PARAM, repo: NAME_PARAM });

/** A request that carries no body (the SDK sends none, without a Content-Type); one given is ignored. */
export const NO_BODY = { type: ['object', 'null'] } as const;
/** A query string with no parameters (unknown ones are ignored). */
export const NO_QUERY = { type: 'object' } as const;

/** `after` / `amount` of every paginated list (API-CONTRACT §0.3); larger amounts are clamped. */
export const PAGE_QUERY = {
  after: { type: 'string', description: 'cursor: results strictly after it (a previous page\'s next_offset)' },
  amount: { type: 'integer', minimum: 1, description: 'page size, default 100, at most 1000 (larger is clamped)' },
} as const;

export const ERROR = {
  type: 'object',
  required: ['message', 'code', 'request_id'],
  properties: {
    message: { type: 'string' },
    code: {
      type: 'string',
      enum: ['BAD_REQUEST', 'UNAUTHORIZED', 'FORBIDDEN', 'NOT_FOUND', 'CONFLICT', 'GONE', 'PRECONDITION_FAILED', 'LOCKED', 'RATE_LIMITED', 'NOT_IMPLEMENTED', 'INTERNAL'],
    },
    request_id: { type: 'string' },
  },
} as const;

export function paginatedOf(item: Schema): Schema {
  return object({
    results: { type: 'array', items: item },
    pagination: object({ has_more: { type: 'boolean' }, next_offset: { type: 'string' }, max_per_page: { type: 'integer' } }, ['has_more', 'next_offset', 'max_per_page']),
  }, ['results', 'pagination']);
}

/** A list that is always complete (the SDK reads only its first response). */
export function resultsOf(item: Schema): Schema {
  return object({ results: { type: 'array', items: item } }, ['results']);
}

export const EMPTY = { type: 'null', description: 'no content' } as const;

/**
 * Response schemas by status, with the error body for every failure. Fastify serializes
 * JSON answers through them (fields not listed are dropped, so a schema here is complete).
 */
export function responses(success: Record<number, unknown>): Schema {
  return { ...success, '4xx': ERROR, '5xx': ERROR };
}
