import * as tf from '@tensorflow/tfjs';
import { describe, expect, it, vi } from 'vitest';
import { UserError } from '../../core/errors.js';
import {
  BackendUnavailableError, checkTraining, parseBackendName, requestedBackend, resolveBackend,
  type BackendLoader, type BackendLoaders, type BackendName, type LoadedBackend,
} from '../../evaluators/backend.js';
import { activateBackend } from '../../evaluators/backend/activate.js';
import { importFailureReason } from '../../evaluators/backend/import-error.js';
import { wasmTrainingKernelNames } from '../../evaluators/kernels/register-wasm.js';

const notInstalled = 'not installed (@tensorflow/tfjs-node; its install downloads libtensorflow, npm skips it offline)';

function failing(message: string): BackendLoader {
  return vi.fn(async (): Promise<LoadedBackend> => {
    throw new Error(message);
  });
}

function loading(loaded: LoadedBackend): BackendLoader {
  return vi.fn(async () => loaded);
}

const fakeWasm: LoadedBackend = {
  tfBackendName: 'wasm',
  wasm: { simd: true, threads: false, threadsCount: 1 },
  trainingKernels: ['Conv2DBackpropFilter'],
};

/** Fake loaders: every backend loads unless overridden. A fresh object per test, so no memo is shared. */
function fakeLoaders(overrides: Partial<Record<BackendName, BackendLoader>> = {}): BackendLoaders {
  return {
    'tensorflow-gpu': overrides['tensorflow-gpu'] ?? loading({ tfBackendName: 'tensorflow' }),
    tensorflow: overrides.tensorflow ?? loading({ tfBackendName: 'tensorflow' }),
    wasm: overrides.wasm ?? loading(fakeWasm),
    cpu: overrides.cpu ?? loading({ tfBackendName: 'cpu' }),
  };
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

describe('resolveBackend with simulated loaders', () => {
  it('falls back from failing native backends to wasm and records why each failed', async () => {
    const loaders = fakeLoaders({
      'tensorflow-gpu': failing('libcudart.so.11.0: cannot open shared object file\n    at Module._extensions..node'),
      tensorflow: failing(notInstalled),
    });
    const report = await resolveBackend({ loaders });
    expect(report.name).toBe('wasm');
    expect(report.tfBackendName).toBe('wasm');
    expect(report.wasm).toEqual({ simd: true, threads: false, threadsCount: 1 });
    expect(report.trainingKernels).toEqual(['Conv2DBackpropFilter']);
    expect(report.attempts.map(({ name, ok, reason }) => ({ name, ok, reason }))).toEqual([
      { name: 'tensorflow-gpu', ok: false, reason: 'libcudart.so.11.0: cannot open shared object file' },
      { name: 'tensorflow', ok: false, reason: notInstalled },
      { name: 'wasm', ok: true, reason: undefined },
    ]);
    for (const attempt of report.attempts) expect(attempt.ms).toBeGreaterThanOrEqual(0);
    expect(loaders.cpu).not.toHaveBeenCalled();
  });

  it('prefers a native backend that loads', async () => {
    const loaders = fakeLoaders({ 'tensorflow-gpu': failing('no CUDA') });
    const report = await resolveBackend({ loaders });
    expect(report.name).toBe('tensorflow');
    expect(report.tfBackendName).toBe('tensorflow');
    expect(report.trainingKernels).toEqual([]);
    expect(loaders.wasm).not.toHaveBeenCalled();
  });

  it('loads the cpu backend when asked for by name, and nothing else', async () => {
    const loaders = fakeLoaders();
    const report = await resolveBackend({ backend: 'cpu', loaders });
    expect(report.name).toBe('cpu');
    expect(report.attempts).toHaveLength(1);
    expect(loaders['tensorflow-gpu']).not.toHaveBeenCalled();
    expect(loaders.wasm).not.toHaveBeenCalled();
  });

  it('refuses to fall back to cpu and says how to fix it', async () => {
    const loaders = fakeLoaders({
      'tensorflow-gpu': failing('not installed (gpu)'),
      tensorflow: failing('not installed (node)'),
      wasm: failing('wasm: out of memory'),
    });
    const error = await rejectionOf(resolveBackend({ loaders }));
    expect(error).toBeInstanceOf(BackendUnavailableError);
    expect(error).toBeInstanceOf(UserError);
    const unavailable = error as BackendUnavailableError;
    expect(unavailable.message).toBe('no fast tfjs backend could load (tensorflow-gpu: not installed (gpu), '
      + 'tensorflow: not installed (node), wasm: wasm: out of memory); '
      + 'the pure-JS cpu backend trains ~400x slower than wasm');
    expect(unavailable.hint).toBe("reinstall with 'npm install' so @tensorflow/tfjs-backend-wasm is present, "
      + 'or pass --backend cpu to use it anyway');
    expect(unavailable.attempts.map((attempt) => attempt.name)).toEqual(['tensorflow-gpu', 'tensorflow', 'wasm']);
    expect(loaders.cpu).not.toHaveBeenCalled();
  });

  it('falls back to cpu when allowCpu is set', async () => {
    const loaders = fakeLoaders({
      'tensorflow-gpu': failing('a'), tensorflow: failing('b'), wasm: failing('c'),
    });
    const report = await resolveBackend({ loaders, allowCpu: true });
    expect(report.name).toBe('cpu');
    expect(report.attempts.map((attempt) => attempt.ok)).toEqual([false, false, false, true]);
  });

  it('rejects an unknown backend name with the valid ones, loading nothing', async () => {
    const loaders = fakeLoaders();
    const error = await rejectionOf(resolveBackend({ backend: 'cuda', loaders }));
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message)
      .toBe("unknown backend 'cuda'; valid backends: gpu (tensorflow-gpu, node-gpu), node (tensorflow), wasm, cpu");
    expect(loaders.wasm).not.toHaveBeenCalled();
  });

  it('fails, without falling back, when an explicitly named backend cannot load', async () => {
    const loaders = fakeLoaders({ tensorflow: failing(notInstalled) });
    const error = await rejectionOf(resolveBackend({ backend: 'node', loaders }));
    expect(error).toBeInstanceOf(BackendUnavailableError);
    expect((error as UserError).message).toBe(`backend 'tensorflow' could not load: ${notInstalled}`);
    expect((error as UserError).hint).toContain("npm install @tensorflow/tfjs-node'");
    expect(loaders.wasm).not.toHaveBeenCalled();
    expect(loaders.cpu).not.toHaveBeenCalled();
  });

  it('gives a failure without a message a reason anyway', async () => {
    const loaders = fakeLoaders({ wasm: failing('') });
    const error = await rejectionOf(resolveBackend({ backend: 'wasm', loaders }));
    expect((error as UserError).message).toBe("backend 'wasm' could not load: failed without a message");
  });

  it('resolves once per process: repeated calls return the same report', async () => {
    const loaders = fakeLoaders({ 'tensorflow-gpu': failing('x'), tensorflow: failing('y') });
    const first = await resolveBackend({ loaders });
    const second = await resolveBackend({ loaders });
    expect(second).toBe(first);
    expect(loaders.wasm).toHaveBeenCalledTimes(1);
  });

  it('resolves again when a different backend is asked for, since tfjs has switched', async () => {
    const loaders = fakeLoaders({ 'tensorflow-gpu': failing('x'), tensorflow: failing('y') });
    await resolveBackend({ loaders });
    expect((await resolveBackend({ backend: 'cpu', loaders })).name).toBe('cpu');
    expect((await resolveBackend({ loaders })).name).toBe('wasm');
    expect(loaders.wasm).toHaveBeenCalledTimes(2);
  });
});

describe('backend names', () => {
  it.each([
    ['gpu', 'tensorflow-gpu'], ['tensorflow-gpu', 'tensorflow-gpu'], ['node-gpu', 'tensorflow-gpu'],
    ['node', 'tensorflow'], ['tensorflow', 'tensorflow'], ['wasm', 'wasm'], ['cpu', 'cpu'], [' WASM ', 'wasm'],
  ])('reads %j as %s', (text, name) => {
    expect(parseBackendName(text)).toBe(name);
  });

  it('takes the flag over $HWNAS_BACKEND, and an empty variable as unset', () => {
    expect(requestedBackend('wasm', { HWNAS_BACKEND: 'cpu' })).toBe('wasm');
    expect(requestedBackend(undefined, { HWNAS_BACKEND: 'cpu' })).toBe('cpu');
    expect(requestedBackend(undefined, { HWNAS_BACKEND: '' })).toBeUndefined();
    expect(requestedBackend(undefined, {})).toBeUndefined();
  });
});

describe('load failure reasons', () => {
  function moduleNotFound(specifier: string): Error {
    return Object.assign(new Error(`Cannot find package '${specifier}' imported from /x/loaders.js`),
      { code: 'ERR_MODULE_NOT_FOUND' });
  }

  it('calls a missing package "not installed"', () => {
    expect(importFailureReason('@tensorflow/tfjs-node', moduleNotFound('@tensorflow/tfjs-node'), 'why'))
      .toBe('not installed (@tensorflow/tfjs-node; why)');
  });

  it('keeps the message when something inside an installed package is missing', () => {
    const error = moduleNotFound('/x/node_modules/@tensorflow/tfjs-node/lib/napi-v8/tfjs_binding.node');
    expect(importFailureReason('@tensorflow/tfjs-node', error))
      .toBe("Cannot find package '/x/node_modules/@tensorflow/tfjs-node/lib/napi-v8/tfjs_binding.node' imported from /x/loaders.js");
  });

  it('turns a backend whose initialisation fails into an error with the cause', async () => {
    tf.registerBackend('hwnas-test-broken', async () => {
      throw new Error('no device found\n  at init');
    });
    const warn = console.warn;
    const error = await rejectionOf(activateBackend('hwnas-test-broken'));
    expect((error as Error).message).toBe('initialisation failed: Error: no device found');
    expect(console.warn).toBe(warn);
    tf.removeBackend('hwnas-test-broken');
  });
});

// These use the real modules, in order: wasm is resolved first, as `hwnas` would.
describe('resolveBackend on this machine', () => {
  it('picks wasm with SIMD, one thread, and hwnas training kernels', async () => {
    const report = await resolveBackend();
    expect(report.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(report.wasm?.simd).toBe(true);
    expect(report.wasm?.threadsCount).toBe(1);
    expect(report.trainingKernels).toEqual(wasmTrainingKernelNames);
    for (const kernel of wasmTrainingKernelNames) expect(tf.getKernel(kernel, 'wasm')).toBeDefined();
    // tfjs-node is an optional dependency that cannot install offline.
    const native = report.attempts.slice(0, 2);
    expect(native.map((attempt) => attempt.name)).toEqual(['tensorflow-gpu', 'tensorflow']);
    for (const attempt of native) expect(attempt.reason).toMatch(/^not installed \(@tensorflow\/tfjs-node/);
    expect(await resolveBackend()).toBe(report);
  });

  it('can take a gradient step through conv, depthwise and pooling on wasm', async () => {
    const check = await checkTraining();
    expect(check.reason).toBeUndefined();
    expect(check.ok).toBe(true);
  });

  it('fails for an explicit native backend that is not installed and keeps wasm active', async () => {
    const error = await rejectionOf(resolveBackend({ backend: 'tensorflow' }));
    expect(error).toBeInstanceOf(BackendUnavailableError);
    expect((error as UserError).message).toMatch(/^backend 'tensorflow' could not load: not installed/);
    expect(tf.getBackend()).toBe('wasm');
  });

  it('switches to cpu when asked by name, and back to wasm after', async () => {
    expect((await resolveBackend({ backend: 'cpu' })).name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect((await resolveBackend()).name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
  });
});
