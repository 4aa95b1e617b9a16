/** Errors that cross the API boundary, typed so every host reports them the same way. */
export type ApiErrorCode =
  | 'invalid-argument'
  | 'unknown-channel'
  | 'not-found'
  | 'conflict'
  | 'bad-input'
  | 'unavailable'
  /** HTTP 401: no token or a wrong one (browser host). */
  | 'unauthorized'
  /** HTTP 403: foreign Host/Origin (browser host). */
  | 'forbidden'
  /** HTTP 413: an upload over the size limit (browser host). */
  | 'too-large'
  | 'internal';

export interface ApiErrorPayload {
  code: ApiErrorCode;
  message: string;
  /** Field-level issues for invalid arguments (`path: message`). */
  issues?: string[];
}

export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly issues?: string[];
  constructor(code: ApiErrorCode, message: string, issues?: string[]) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.issues = issues;
  }
  toPayload(): ApiErrorPayload {
    return { code: this.code, message: this.message, issues: this.issues };
  }
  static fromPayload(p: ApiErrorPayload): ApiError {
    return new ApiError(p.code, p.message, p.issues);
  }
  static is(e: unknown): e is ApiError {
    return e instanceof ApiError;
  }
}
