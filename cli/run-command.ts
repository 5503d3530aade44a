/**
 * The one place errors become output and exit codes: a UserError is one line (plus a
 * hint) and exit 2; anything else is a bug, printed with its stack, exit 1.
 */
import { isUserError, type UserError } from '../core/errors.js';
import { storageError } from '../store/storage-error.js';

/** Where error text goes (process.stderr, or a buffer in tests). */
export interface TextSink {
  write(text: string): unknown;
}

/** Prints `hwnas: <message>` and, if there is one, `  hint: <hint>`. */
export function printUserError(error: UserError, sink: TextSink = process.stderr): void {
  sink.write(`hwnas: ${error.message}\n`);
  if (error.hint !== undefined && error.hint !== '') sink.write(`  hint: ${error.hint}\n`);
}

/** Prints `error` the way its kind calls for and returns the exit code (2 user, 1 bug). */
export function reportError(error: unknown, sink: TextSink = process.stderr): number {
  const user = isUserError(error) ? error : storageError(error);
  if (user !== null) {
    printUserError(user, sink);
    return 2;
  }
  const detail = error instanceof Error ? error.stack ?? `${error.name}: ${error.message}` : String(error);
  sink.write(`hwnas: internal error (a bug in hwnas; please report it with this output)\n${detail}\n`);
  return 1;
}

/** Runs `action` and turns whatever it throws into an exit code. */
export async function runCommand(action: () => Promise<number>, sink: TextSink = process.stderr): Promise<number> {
  try {
    return await action();
  } catch (error) {
    return reportError(error, sink);
  }
}
