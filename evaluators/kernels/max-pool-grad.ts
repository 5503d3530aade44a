/**
 * MaxPoolGrad for wasm. The backend's own kernel is slow, and composing it from wasm ops
 * is worse: wasm binary ops broadcast through a generic per-element index path
 * (~80 ns/element). The common 2x2/stride-2 pool runs in simd/kernels.c; any other
 * window runs as a JavaScript loop over the heap. Each output element's
 * gradient goes to the first maximum of its window, exactly as tfjs's cpu backend does,
 * and overlapping windows accumulate.
 */
import * as tf from '@tensorflow/tfjs';
import type { Info, KernelCalls } from './kernel-calls.js';
import { addressOf, simdKernelsFor } from './simd-kernels.js';
import { tiled2x2 } from './max-pool.js';

export interface MaxPoolGradAttrs {
  filterSize: number | [number, number];
  strides: number | [number, number];
  pad: 'valid' | 'same' | number;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

export function maxPoolGrad(calls: KernelCalls, inputs: { dy: Info; input: Info }, attrs: MaxPoolGradAttrs): Info {
  const info = tf.backend_util.computePool2DInfo(
    inputs.input.shape as [number, number, number, number], attrs.filterSize, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
  const { batchSize, inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow } = info;
  const dxInfo = calls.allocate(inputs.input.shape);
  const tiled = tiled2x2(inputs.input.shape, attrs);
  if (tiled !== null) {
    simdKernelsFor(calls.backend).max_pool_2x2_grad(addressOf(calls.backend, inputs.input), addressOf(calls.backend, inputs.dy),
      addressOf(calls.backend, dxInfo), batchSize, h, w, c, oh, ow);
    return dxInfo;
  }
  const x = calls.view(inputs.input);
  const dy = calls.view(inputs.dy);
  const dx = calls.view(dxInfo);
  dx.fill(0);
  const bestValue = new Float32Array(c);
  const bestIndex = new Int32Array(c);
  for (let b = 0; b < batchSize; b++) {
    for (let i = 0; i < oh; i++) {
      const hStart = i * info.strideHeight - info.padInfo.top;
      for (let j = 0; j < ow; j++) {
        const wStart = j * info.strideWidth - info.padInfo.left;
        bestValue.fill(-Infinity);
        bestIndex.fill(-1);
        for (let kh = 0; kh < info.effectiveFilterHeight; kh += info.dilationHeight) {
          const row = hStart + kh;
          if (row < 0 || row >= h) continue;
          for (let kw = 0; kw < info.effectiveFilterWidth; kw += info.dilationWidth) {
            const col = wStart + kw;
            if (col < 0 || col >= w) continue;
            const base = ((b * h + row) * w + col) * c;
            for (let ch = 0; ch < c; ch++) {
              const v = x[base + ch]!;
              if (v > bestValue[ch]! || bestIndex[ch] === -1) {
                bestValue[ch] = v;
                bestIndex[ch] = base + ch;
              }
            }
          }
        }
        const outBase = ((b * oh + i) * ow + j) * c;
        for (let ch = 0; ch < c; ch++) {
          const at = bestIndex[ch]!;
          if (at >= 0) dx[at] = dx[at]! + dy[outBase + ch]!;
        }
      }
    }
  }
  return dxInfo;
}

