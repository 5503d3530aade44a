/**
 * Conv2DBackpropFilter for wasm, which has none:
 *   dW[kh,kw,ci,co] = sum_{b,oh,ow} x[b, oh*s + kh*d - pad, ow*s + kw*d - pad, ci] * dy[b,oh,ow,co]
 * computed by simd/kernels.c straight from x and dy on the heap. Composing it from
 * XNNPACK convolutions (batch and channels swapped) works too, but XNNPACK repacks its
 * filter operand whenever that tensor changes, which here is every step: that repack of
 * an activation-sized tensor cost more than the arithmetic.
 */
import { convGeometry } from './conv-geometry.js';
import type { Info, KernelCalls } from './kernel-calls.js';
import { addressOf, simdKernelsFor } from './simd-kernels.js';

export interface Conv2DBackpropFilterAttrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | [[number, number], [number, number], [number, number], [number, number]];
  dataFormat?: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
  /** Not a tfjs attribute: hwnas's Conv2D gradient passes it so dilated convolutions train. */
  dilations?: number | [number, number];
}

export function conv2dBackpropFilter(calls: KernelCalls, inputs: { x: Info; dy: Info }, attrs: Conv2DBackpropFilterAttrs): Info {
  const g = convGeometry(inputs.x.shape, attrs.filterShape, attrs.strides, attrs.dilations, attrs.pad, attrs.dimRoundingMode, false);
  const dw = calls.allocate(attrs.filterShape);
  calls.view(dw).fill(0);
  const backend = calls.backend;
  simdKernelsFor(backend).conv2d_filter_grad(
    addressOf(backend, inputs.x), addressOf(backend, inputs.dy), addressOf(backend, dw),
    g.batch, g.inHeight, g.inWidth, g.inChannels, g.outHeight, g.outWidth, attrs.filterShape[3],
    g.filterHeight, g.filterWidth, g.strideHeight, g.strideWidth, g.dilationHeight, g.dilationWidth, g.padTop, g.padLeft);
  return dw;
}
