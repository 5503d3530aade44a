/**
 * MaxPool for wasm in the common 2x2/stride-2 unpadded case, in simd/kernels.c; other
 * pools return null and keep the backend's XNNPACK kernel.
 */
import * as tf from '@tensorflow/tfjs';
import type { Info, KernelCalls } from './kernel-calls.js';
import type { MaxPoolGradAttrs } from './max-pool-grad.js';
import { addressOf, simdKernelsFor } from './simd-kernels.js';

/** Pool geometry when windows are 2x2, stride 2 and start at the origin; otherwise null. */
export function tiled2x2(shape: number[], attrs: MaxPoolGradAttrs): tf.backend_util.Conv2DInfo | null {
  if (shape.length !== 4) return null;
  const info = tf.backend_util.computePool2DInfo(
    shape as [number, number, number, number], attrs.filterSize, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
  const ok = info.filterHeight === 2 && info.filterWidth === 2 && info.strideHeight === 2 && info.strideWidth === 2
    && info.dilationHeight === 1 && info.dilationWidth === 1 && info.padInfo.top === 0 && info.padInfo.left === 0
    && info.outHeight * 2 <= info.inHeight && info.outWidth * 2 <= info.inWidth;
  return ok ? info : null;
}

export function maxPool2x2(calls: KernelCalls, inputs: { x: Info }, attrs: MaxPoolGradAttrs): Info | null {
  const info = tiled2x2(inputs.x.shape, attrs);
  if (info === null || inputs.x.dtype !== 'float32') return null;
  const y = calls.allocate(info.outShape);
  simdKernelsFor(calls.backend).max_pool_2x2(addressOf(calls.backend, inputs.x), addressOf(calls.backend, y),
    info.batchSize, info.inHeight, info.inWidth, info.inChannels, info.outHeight, info.outWidth);
  return y;
}
