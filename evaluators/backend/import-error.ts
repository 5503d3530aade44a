/**
 * One-line reasons for a backend package that failed to import.
 */
import { errorMessage } from '../../core/errors.js';
import { firstLine } from '../../core/format.js';

/**
 * `not installed (<pkg>; <note>)` when the package itself is missing, otherwise the
 * first line of the load error (a missing libtensorflow, CUDA library, or addon).
 */
export function importFailureReason(packageName: string, error: unknown, missingNote?: string): string {
  const code = typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
  const message = errorMessage(error);
  // Only the package itself counts as "not installed"; a missing dependency inside an
  // installed package is a broken install and keeps its own message.
  const missing = (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND')
    && message.includes(`'${packageName}'`);
  if (missing) return `not installed (${packageName}${missingNote === undefined ? '' : `; ${missingNote}`})`;
  return firstLine(message) || 'import failed without a message';
}
