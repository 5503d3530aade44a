/**
 * The backend choice itself, free of real modules: try loaders in order, record each
 * attempt, and refuse the pure-JS cpu backend unless it was asked for. Tests drive it
 * with fake loaders.
 */
import { errorMessage, UserError } from '../../core/errors.js';
import { firstLine } from '../../core/format.js';
import { backendOrder } from './names.js';
import type { BackendAttempt, BackendLoaders, BackendName, BackendReport } from './types.js';

/** No backend that may train could load. Carries the attempts so `hwnas doctor` can show them. */
export class BackendUnavailableError extends UserError {
  constructor(message: string, hint: string, readonly attempts: BackendAttempt[]) {
    super(message, hint);
  }
}

/** Inputs to {@link chooseBackend}. */
export interface ChooseOptions {
  /** Load exactly this backend or fail; undefined tries them fastest first. */
  requested?: BackendName;
  /** Let auto-resolution fall back to the pure-JS cpu backend. */
  allowCpu?: boolean;
  loaders: BackendLoaders;
}

const fixes: Readonly<Record<BackendName, string>> = {
  'tensorflow-gpu': "install it with 'npm install @tensorflow/tfjs-node-gpu' (needs network, CUDA and cuDNN), "
    + 'or unset --backend/HWNAS_BACKEND to use wasm',
  tensorflow: "install it with 'npm install @tensorflow/tfjs-node' (needs network to download libtensorflow), "
    + 'or unset --backend/HWNAS_BACKEND to use wasm',
  wasm: "reinstall with 'npm install' so @tensorflow/tfjs-backend-wasm is present, "
    + 'or pass --backend cpu to use the ~400x slower pure-JS backend',
  cpu: "@tensorflow/tfjs looks broken: reinstall with 'npm install'",
};

const cpuFallbackFix = "reinstall with 'npm install' so @tensorflow/tfjs-backend-wasm is present, "
  + 'or pass --backend cpu to use it anyway';

/** Milliseconds since `started`, to 0.1 ms: finer is noise and clutters `--json`. */
function since(started: number): number {
  return Math.round((performance.now() - started) * 10) / 10;
}

function reasonOf(error: unknown): string {
  return firstLine(errorMessage(error)) || 'failed without a message';
}

/**
 * Tries `requested` alone, or every backend fastest first (cpu only with `allowCpu`), and
 * returns the first that loads. Throws {@link BackendUnavailableError} when none does.
 */
export async function chooseBackend(options: ChooseOptions): Promise<BackendReport> {
  const candidates = options.requested !== undefined
    ? [options.requested]
    : backendOrder.filter((name) => name !== 'cpu' || options.allowCpu === true);
  const attempts: BackendAttempt[] = [];
  for (const name of candidates) {
    const started = performance.now();
    try {
      const loaded = await options.loaders[name]();
      attempts.push({ name, ok: true, ms: since(started) });
      const report: BackendReport = {
        name,
        tfBackendName: loaded.tfBackendName,
        attempts,
        trainingKernels: loaded.trainingKernels ?? [],
      };
      if (loaded.wasm !== undefined) report.wasm = loaded.wasm;
      return report;
    } catch (error) {
      attempts.push({ name, ok: false, reason: reasonOf(error), ms: since(started) });
    }
  }
  throw unavailable(options, attempts);
}

function unavailable(options: ChooseOptions, attempts: BackendAttempt[]): BackendUnavailableError {
  const reasons = attempts.map((a) => `${a.name}: ${a.reason ?? 'failed'}`).join(', ');
  if (options.requested !== undefined) {
    const reason = attempts[0]?.reason ?? 'failed';
    return new BackendUnavailableError(`backend '${options.requested}' could not load: ${reason}`,
      fixes[options.requested], attempts);
  }
  if (options.allowCpu === true) {
    return new BackendUnavailableError(`no tfjs backend could load (${reasons})`, fixes.cpu, attempts);
  }
  return new BackendUnavailableError(
    `no fast tfjs backend could load (${reasons}); the pure-JS cpu backend trains ~400x slower than wasm`,
    cpuFallbackFix, attempts);
}
