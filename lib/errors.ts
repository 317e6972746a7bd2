/**
 * Errors a request can end in, each with the HTTP status it maps to. Route handlers and actions
 * throw these; `app/_lib/http/route.ts` turns them into JSON the same way everywhere.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly issues?: { path: string; message: string }[],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class UnauthorizedError extends HttpError {
  constructor(message = "Sign in to continue.") {
    super(401, message);
  }
}

export class ForbiddenError extends HttpError {
  constructor(message = "Only instructors can do this.") {
    super(403, message);
  }
}

/** Also used for resources that exist but belong to someone else: we do not reveal they exist. */
export class NotFoundError extends HttpError {
  constructor(message = "Not found.") {
    super(404, message);
  }
}

export class ConflictError extends HttpError {
  constructor(message: string) {
    super(409, message);
  }
}

export class ValidationError extends HttpError {
  constructor(message: string, issues?: { path: string; message: string }[]) {
    super(422, message, issues);
  }
}

export class TooManyRequestsError extends HttpError {
  constructor(message: string) {
    super(429, message);
  }
}
