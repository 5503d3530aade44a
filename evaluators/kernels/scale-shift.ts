/**
 * y[..., c] = x[..., c] * a[c] + b[c] in one SIMD pass (simd/kernels.c's scale_shift): the
 * shared core of per-channel batch norm and per-channel Multiply. `fold` fills a[0..C) and
 * b[C..2C) of a scratch tensor on the heap, freed before returning.
 */
import type { Info, KernelCalls } from './kernel-calls.js';
import { addressOf, simdKernelsFor } from './simd-kernels.js';

export function scaleShiftChannels(calls: KernelCalls, x: Info, fold: (ab: Float32Array, channels: number) => void): Info {
  const channels = x.shape.at(-1)!;
  const out = calls.allocate(x.shape);
  const ab = calls.allocate([2 * channels]);
  // Filled after the last allocation: a growing heap detaches earlier views.
  fold(calls.view(ab), channels);
  const backend = calls.backend;
  simdKernelsFor(backend).scale_shift(addressOf(backend, x), addressOf(backend, ab), addressOf(backend, out), x.shape.slice(0, -1).reduce((p, d) => p * d, 1), channels);
  calls.free(ab);
  return out;
}
