// Domain errors thrown by core/, catalog/ and blobstore/. They know nothing of HTTP:
// each front door (s3/, api/) maps them to its own protocol at the edge.

export class TroveError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The named thing does not exist (repository, session, object, commit, key, ...). */
export class NotFoundError extends TroveError {
  constructor(
    readonly resource: string,
    message = `${resource} not found`,
  ) {
    super(message);
  }
}

/** Optimistic concurrency lost: `paths` were changed by commits that landed meanwhile. */
export class ConflictError extends TroveError {
  constructor(
    message: string,
    readonly paths: string[] = [],
  ) {
    super(message);
  }
}

/** A uniqueness rule was broken (name taken, already a member, ...). */
export class AlreadyExistsError extends TroveError {
  constructor(
    readonly resource: string,
    message = `${resource} already exists`,
  ) {
    super(message);
  }
}

/** The caller is known but not allowed to do this. */
export class ForbiddenError extends TroveError {}

/** The caller could not be identified (bad or missing credentials). */
export class UnauthenticatedError extends TroveError {}

/** The request is malformed or breaks a rule of the domain. */
export class InvalidError extends TroveError {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** The thing existed but was deleted (soft-deleted repository, ...). */
export class GoneError extends TroveError {}

/** A precondition (If-Match, expected size or checksum, ...) does not hold. */
export class PreconditionFailedError extends TroveError {}

/** A stored checksum or digest does not match what was received. */
export class ChecksumMismatchError extends TroveError {
  constructor(
    readonly algorithm: string,
    message = `${algorithm} checksum does not match the data received`,
  ) {
    super(message);
  }
}

/** The feature exists in the protocol but Trove does not support it. */
export class NotImplementedError extends TroveError {}

/** Too many requests (or login attempts) for now; retrying after `retryAfterSeconds` may succeed. */
export class RateLimitedError extends TroveError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}
