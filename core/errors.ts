/**
 * The three kinds of failure hwnas distinguishes (see STYLE.md, rule 8).
 * - UserError: something the user can fix (bad flag, missing file, corrupt data). The CLI
 *   prints `hwnas: <message>` and, when present, `  hint: <hint>` and exits 2, no stack.
 * - TrialFailure: one trial failed (diverged, crashed, timed out); recorded, the run goes on.
 * - anything else is a bug: printed with its stack, exit 1.
 */
export class UserError extends Error {
  override readonly name = 'UserError';
  constructor(message: string, readonly hint?: string) {
    super(message);
  }
}

export class TrialFailure extends Error {
  override readonly name = 'TrialFailure';
  constructor(message: string, readonly reason: 'diverged' | 'crashed' | 'timeout' | 'invalid' | 'interrupted') {
    super(message);
  }
}

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}

/** A message for any thrown value, without assuming it is an Error. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
