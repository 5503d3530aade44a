/**
 * Picks the tfjs backend hwnas trains on: native tfjs-node-gpu, then tfjs-node, then
 * wasm with hwnas's training kernels. The pure-JS cpu backend is ~100x slower than wasm
 * for training, so it is used only when asked for by name (or with `allowCpu`).
 *
 * ```ts
 * const report = await resolveBackend({ backend: requestedBackend(flags.backend) });
 * report.name; // 'wasm'
 * ```
 */
import { chooseBackend } from './backend/choose.js';
import { defaultLoaders } from './backend/loaders.js';
import { parseBackendName } from './backend/names.js';
import type { BackendLoaders, BackendReport } from './backend/types.js';

export { BackendUnavailableError, chooseBackend } from './backend/choose.js';
export { checkTraining, type TrainCheck } from './backend/train-check.js';
export { backendChoices, backendOrder, parseBackendName, requestedBackend } from './backend/names.js';
export type {
  BackendAttempt, BackendLoader, BackendLoaders, BackendName, BackendReport, LoadedBackend, WasmFacts,
} from './backend/types.js';

/** Options for {@link resolveBackend}. */
export interface ResolveBackendOptions {
  /**
   * A backend name as the user typed it (from `--backend` or `$HWNAS_BACKEND`, see
   * `requestedBackend`): `gpu`/`tensorflow-gpu`/`node-gpu`, `node`/`tensorflow`, `wasm`,
   * `cpu`. Given, exactly that backend loads or resolution fails; it never falls back.
   */
  backend?: string;
  /** Let auto-resolution fall back to the slow pure-JS cpu backend instead of failing. */
  allowCpu?: boolean;
  /** Replaces the real module loaders (tests simulate failing backends with these). */
  loaders?: BackendLoaders;
}

interface Resolution {
  key: string;
  report: Promise<BackendReport>;
}

// The last resolution per loader set. One slot, not a map: asking for another backend
// switches tfjs's global backend, so a memo of an older choice would no longer be true.
const lastResolution = new WeakMap<BackendLoaders, Resolution>();

/**
 * Loads and activates the tfjs backend to train on and reports how it was chosen.
 * Repeated calls with the same options return the same report without loading again.
 * Throws a UserError for an unknown name, and `BackendUnavailableError` (a UserError
 * whose message lists each backend's reason and whose hint says how to fix it) when
 * nothing suitable loads.
 */
export async function resolveBackend(options: ResolveBackendOptions = {}): Promise<BackendReport> {
  const requested = options.backend === undefined ? undefined : parseBackendName(options.backend);
  const loaders = options.loaders ?? defaultLoaders;
  const key = `${requested ?? 'auto'}${options.allowCpu === true ? '+cpu' : ''}`;
  const last = lastResolution.get(loaders);
  if (last !== undefined && last.key === key) return last.report;
  const report = chooseBackend({ requested, allowCpu: options.allowCpu, loaders });
  lastResolution.set(loaders, { key, report });
  return report;
}
