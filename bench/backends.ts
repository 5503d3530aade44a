/**
 * Switches tfjs to one named backend for a benchmark, single-threaded, or says why it
 * cannot. Benchmarks measure each backend on purpose, including the slow pure-JS cpu one,
 * so they bypass hwnas's own refusal to train on cpu.
 */
import * as tf from '@tensorflow/tfjs';
import { errorMessage } from '../core/errors.js';
import { registerWasmTrainingKernels } from '../evaluators/kernels/register-wasm.js';

export interface BenchBackend { name: string; slow: boolean }

export async function activateBackend(name: string): Promise<BenchBackend | { reason: string }> {
  try {
    if (name === 'tensorflow' || name === 'tensorflow-gpu') {
      // libtensorflow reads this once at load: one intra-op thread, as the benchmark states.
      process.env.TF_NUM_INTRAOP_THREADS ??= '1';
      process.env.TF_NUM_INTEROP_THREADS ??= '1';
      await import(name === 'tensorflow' ? '@tensorflow/tfjs-node' : '@tensorflow/tfjs-node-gpu');
      if (!(await tf.setBackend('tensorflow'))) return { reason: 'tensorflow backend did not initialise' };
      return { name, slow: false };
    }
    if (name === 'wasm') {
      await import('@tensorflow/tfjs-backend-wasm');
      if (!(await tf.setBackend('wasm'))) return { reason: 'wasm backend did not initialise' };
      await tf.ready();
      registerWasmTrainingKernels();
      return { name, slow: false };
    }
    if (name === 'cpu') {
      await tf.setBackend('cpu');
      return { name, slow: true };
    }
    return { reason: `unknown backend '${name}' (tensorflow, tensorflow-gpu, wasm, cpu)` };
  } catch (error) {
    const message = errorMessage(error).split('\n')[0] ?? '';
    return { reason: /Cannot find (module|package)/.test(message) ? 'not installed (optional dependency; its install downloads libtensorflow)' : message };
  }
}
