/**
 * FusedBatchNorm for wasm with per-channel statistics (every BatchNormalization layer):
 * y = (x - mean[c]) * scale[c] / sqrt(variance[c] + eps) + offset[c], folded per channel
 * into y = x * a[c] + b[c] and applied in one SIMD pass; wasm's kernel broadcasts each
 * operand through a per-element index path (a quarter of a mobile-cnn inference). Other
 * shapes keep the backend's kernel.
 */
import type { Info, KernelCalls } from './kernel-calls.js';
import { scaleShiftChannels } from './scale-shift.js';

export interface BatchNormAttrs { varianceEpsilon: number }

export function batchNormChannels(calls: KernelCalls, inputs: { x: Info; mean: Info; variance: Info; offset?: Info; scale?: Info }, attrs: BatchNormAttrs): Info | null {
  const { x, mean, variance, offset, scale } = inputs;
  const channels = x.shape[x.shape.length - 1]!;
  const perChannel = (t: Info | undefined) => t === undefined || (t.dtype === 'float32' && t.shape.length === 1 && t.shape[0] === channels);
  if (x.dtype !== 'float32' || x.shape.length < 2 || ![mean, variance, offset, scale].every(perChannel)) return null;
  return scaleShiftChannels(calls, x, (folded) => {
    const m = calls.view(mean), v = calls.view(variance);
    const o = offset === undefined ? null : calls.view(offset), g = scale === undefined ? null : calls.view(scale);
    for (let c = 0; c < channels; c++) {
      const a = (g === null ? 1 : g[c]!) / Math.sqrt(v[c]! + attrs.varianceEpsilon);
      folded[c] = a;
      folded[channels + c] = (o === null ? 0 : o[c]!) - m[c]! * a;
    }
  });
}
