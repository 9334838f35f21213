// REST errors: `{message, code, request_id}` on every failure, mapped from domain errors.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import {
  AlreadyExistsError, ChecksumMismatchError, ConflictError, ForbiddenError, GoneError, InvalidError,
  NotFoundError, NotImplementedError, PreconditionFailedError, RateLimitedError, UnauthenticatedError,
} from '../errors.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const DOMAIN_ERRORS: Array<[new (...args: never[]) => Error, number, string]> = [
  [InvalidError, 400, 'BAD_REQUEST'],
  [ChecksumMismatchError, 400, 'BAD_REQUEST'],
  [UnauthenticatedError, 401, 'UNAUTHORIZED'],
  [ForbiddenError, 403, 'FORBIDDEN'],
  [NotFoundError, 404, 'NOT_FOUND'],
  [ConflictError, 409, 'CONFLICT'],
  [AlreadyExistsError, 409, 'CONFLICT'],
  [GoneError, 410, 'GONE'],
  [PreconditionFailedError, 412, 'PRECONDITION_FAILED'],
  [RateLimitedError, 429, 'RATE_LIMITED'],
  [NotImplementedError, 501, 'NOT_IMPLEMENTED'],
];

const CODE_BY_STATUS: Record<number, string> = {
  400: 'BAD_REQUEST', 401: 'UNAUTHORIZED', 403: 'FORBIDDEN', 404: 'NOT_FOUND', 405: 'BAD_REQUEST',
  409: 'CONFLICT', 410: 'GONE', 412: 'PRECONDITION_FAILED', 413: 'BAD_REQUEST', 415: 'BAD_REQUEST',
  423: 'LOCKED', 429: 'RATE_LIMITED', 501: 'NOT_IMPLEMENTED',
};

export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  for (const [type, status, code] of DOMAIN_ERRORS) {
    if (err instanceof type) return new ApiError(status, code, (err as Error).message);
  }
  const status = (err as FastifyError).statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new ApiError(status, CODE_BY_STATUS[status] ?? 'BAD_REQUEST', (err as Error).message);
  }
  return new ApiError(500, 'INTERNAL', 'internal error');
}

export function sendApiError(err: unknown, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  const apiError = toApiError(err);
  if (apiError.status >= 500) req.log.error({ err }, 'request failed');
  if (err instanceof RateLimitedError) reply.header('retry-after', err.retryAfterSeconds);
  return reply.status(apiError.status).send({ message: apiError.message, code: apiError.code, request_id: req.id });
}
