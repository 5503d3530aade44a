/**
 * Backend names as users type them (`--backend`, `$HWNAS_BACKEND`) and their canonical form.
 */
import { UserError } from '../../core/errors.js';
import type { BackendName } from './types.js';

/** Canonical names in the order auto-resolution tries them. */
export const backendOrder: readonly BackendName[] = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];

const aliases: Readonly<Record<string, BackendName>> = {
  gpu: 'tensorflow-gpu',
  'tensorflow-gpu': 'tensorflow-gpu',
  'node-gpu': 'tensorflow-gpu',
  node: 'tensorflow',
  tensorflow: 'tensorflow',
  wasm: 'wasm',
  cpu: 'cpu',
};

/** Every accepted spelling, for help text and errors. */
export const backendChoices = 'gpu (tensorflow-gpu, node-gpu), node (tensorflow), wasm, cpu';

/** Maps a user-typed backend name to its canonical name; an unknown name is a UserError. */
export function parseBackendName(text: string): BackendName {
  const name = aliases[text.trim().toLowerCase()];
  if (name === undefined) {
    throw new UserError(`unknown backend '${text}'; valid backends: ${backendChoices}`,
      'omit --backend and unset HWNAS_BACKEND to pick the fastest one that loads');
  }
  return name;
}

/**
 * The backend the user asked for: the flag if given (even empty, which then fails as
 * unknown), else `$HWNAS_BACKEND` unless empty, else undefined (auto).
 */
export function requestedBackend(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (flag !== undefined) return flag;
  const fromEnv = env['HWNAS_BACKEND'];
  return fromEnv === undefined || fromEnv.trim() === '' ? undefined : fromEnv;
}
