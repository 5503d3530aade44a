/**
 * The real backend loaders: the two native tfjs-node packages, wasm with hwnas's
 * training kernels, and the pure-JS cpu backend that ships inside @tensorflow/tfjs.
 */
import * as tf from '@tensorflow/tfjs';
import { activateBackend } from './activate.js';
import { importFailureReason } from './import-error.js';
import type { BackendLoader, BackendLoaders, LoadedBackend } from './types.js';

// hwnas chooses the backend itself and reports why; tfjs's own console banners ("install
// tfjs-node to speed things up", kernel re-registration notices) would only repeat or
// contradict that, so they are silenced. PROD also drops tfjs's per-op debug checks.
tf.env().set('PROD', true);

const nativeMissingNote = 'its install downloads libtensorflow, npm skips it offline';

/**
 * A loader for a tfjs-node package. Both register the tfjs backend `tensorflow` on
 * import; the specifier is a variable because they are optional and may be absent.
 */
function nativeLoader(packageName: string): BackendLoader {
  return async () => {
    try {
      const specifier: string = packageName;
      await import(specifier);
    } catch (error) {
      throw new Error(importFailureReason(packageName, error, nativeMissingNote));
    }
    await activateBackend('tensorflow');
    return { tfBackendName: 'tensorflow' };
  };
}

async function loadWasm(): Promise<LoadedBackend> {
  const packageName = '@tensorflow/tfjs-backend-wasm';
  let wasm: typeof import('@tensorflow/tfjs-backend-wasm');
  try {
    wasm = await import('@tensorflow/tfjs-backend-wasm');
  } catch (error) {
    throw new Error(importFailureReason(packageName, error));
  }
  const threads = (await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')) === true;
  // hwnas trains one model per worker thread, so XNNPACK's own pool would only fight
  // the other workers for cores: one thread each. Must be set before initialisation.
  if (threads) wasm.setThreadsCount(1);
  await activateBackend('wasm');
  const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
  // Imported here, not at the top, so a broken kernel module fails the wasm attempt
  // with its reason instead of breaking every command that imports this file.
  const kernels = await import('../kernels/register-wasm.js');
  kernels.registerWasmTrainingKernels();
  return {
    tfBackendName: 'wasm',
    wasm: { simd, threads, threadsCount: wasm.getThreadsCount() },
    trainingKernels: [...kernels.wasmTrainingKernelNames],
  };
}

async function loadCpu(): Promise<LoadedBackend> {
  await activateBackend('cpu');
  // tfjs-backend-cpu prints a "install tfjs-node to speed things up" banner on its first
  // tensor in Node. Only someone who asked for cpu by name gets here and hwnas already
  // says it is slow, so write that first tensor now with exactly that banner dropped.
  const warn = console.warn;
  console.warn = (...args: unknown[]) => {
    if (!args.some((arg) => String(arg).includes('running TensorFlow.js in Node.js'))) warn(...args);
  };
  try {
    tf.dispose(tf.scalar(0));
  } finally {
    console.warn = warn;
  }
  return { tfBackendName: 'cpu' };
}

/** The loaders {@link resolveBackend} uses unless a test injects its own. */
export const defaultLoaders: BackendLoaders = {
  'tensorflow-gpu': nativeLoader('@tensorflow/tfjs-node-gpu'),
  tensorflow: nativeLoader('@tensorflow/tfjs-node'),
  wasm: loadWasm,
  cpu: loadCpu,
};
