/** A value or the reason it could not be made: used wherever untrusted input enters a type. */
export type Result<T, E = string> = { ok: true; value: T } | { ok: false; error: E };

export const ok = <T>(value: T): { ok: true; value: T } => ({ ok: true, value });
export const err = <E>(error: E): { ok: false; error: E } => ({ ok: false, error });

/** Unwraps a Result, throwing a TypeError with the message: for values that are known to be valid. */
export function unwrap<T>(result: Result<T, string>): T {
  if (result.ok) return result.value;
  throw new TypeError(result.error);
}
