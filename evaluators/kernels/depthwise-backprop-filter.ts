/**
 * DepthwiseConv2dNativeBackpropFilter for wasm, which has none:
 *   dW[kh,kw,c,q] = sum_{b,oh,ow} x[b, oh*s + kh*d - pad, ow*s + kw*d - pad, c] * dy[b,oh,ow,c*m + q]
 * Channels are independent, so this is a multiply-accumulate over rows, vectorised
 * across channels by simd/kernels.c, reading x and dy where they lie on the heap.
 */
import { convGeometry } from './conv-geometry.js';
import type { Info, KernelCalls } from './kernel-calls.js';
import { addressOf, simdKernelsFor } from './simd-kernels.js';

export interface DepthwiseBackpropFilterAttrs {
  strides: number | [number, number];
  dilations?: number | [number, number];
  pad: 'valid' | 'same' | number | [[number, number], [number, number], [number, number], [number, number]];
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

export function depthwiseBackpropFilter(calls: KernelCalls, inputs: { x: Info; dy: Info }, attrs: DepthwiseBackpropFilterAttrs): Info {
  const g = convGeometry(inputs.x.shape, attrs.filterShape, attrs.strides, attrs.dilations, attrs.pad, attrs.dimRoundingMode, true);
  const dw = calls.allocate(attrs.filterShape);
  calls.view(dw).fill(0);
  const backend = calls.backend;
  simdKernelsFor(backend).depthwise_filter_grad(
    addressOf(backend, inputs.x), addressOf(backend, inputs.dy), addressOf(backend, dw),
    g.batch, g.inHeight, g.inWidth, g.inChannels, g.outHeight, g.outWidth, attrs.filterShape[3],
    g.filterHeight, g.filterWidth, g.strideHeight, g.strideWidth, g.dilationHeight, g.dilationWidth, g.padTop, g.padLeft);
  return dw;
}
