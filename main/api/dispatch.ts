import {
  requestSchemas,
  type ApiParsedRequest,
  type ApiResponses,
  type Channel,
} from '../../shared/api';
import { ApiError, type ApiErrorPayload } from '../../shared/errors';

export type Handlers = {
  [C in Channel]: (req: ApiParsedRequest<C>) => Promise<ApiResponses[C]> | ApiResponses[C];
};

export type Reply = { ok: true; value: unknown } | { ok: false; error: ApiErrorPayload };

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(requestSchemas, name);
}

/** Errors from the service layer that mean "your input was wrong", by class name. */
const BAD_INPUT = new Set(['ScriptError', 'EngineInputError', 'TraceFormatError', 'BadInputError']);

export function toApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  const err = e instanceof Error ? e : new Error(String(e));
  if (err.name === 'NotFoundError') return new ApiError('not-found', err.message);
  if (err.name === 'ConflictError') return new ApiError('conflict', err.message);
  if (err.name === 'StoreVersionError' || err.name === 'UnavailableError')
    return new ApiError('unavailable', err.message);
  if (BAD_INPUT.has(err.name)) return new ApiError('bad-input', err.message);
  if ((err as NodeJS.ErrnoException).code === 'ENOENT')
    return new ApiError('not-found', err.message);
  return new ApiError('internal', err.message || 'internal error');
}

/**
 * The single entry of every host (Electron IPC, HTTP, CLI, tests): validates the argument
 * against the channel's schema, then runs the handler. Never throws: failures come back typed.
 */
export async function dispatch(handlers: Handlers, channel: unknown, raw: unknown): Promise<Reply> {
  if (!isChannel(channel)) {
    return {
      ok: false,
      error: new ApiError(
        'unknown-channel',
        `unknown channel ${JSON.stringify(channel)}`,
      ).toPayload(),
    };
  }
  const parsed = requestSchemas[channel].safeParse(raw === undefined ? {} : raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map(
      (i) => `${i.path.join('.') || '(argument)'}: ${i.message}`,
    );
    return {
      ok: false,
      error: new ApiError(
        'invalid-argument',
        `invalid argument for ${channel}: ${issues.join('; ')}`,
        issues,
      ).toPayload(),
    };
  }
  try {
    const handler = handlers[channel] as (r: unknown) => unknown;
    return { ok: true, value: await handler(parsed.data) };
  } catch (e) {
    return { ok: false, error: toApiError(e).toPayload() };
  }
}
