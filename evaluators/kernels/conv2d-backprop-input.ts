/**
 * Conv2DBackpropInput for wasm. The backend's own kernel is a scalar loop; the input
 * gradient is a stride-1 convolution of the zero-upsampled output gradient with the
 * spatially flipped filter whose in/out channels are swapped, which XNNPACK runs fast.
 */
import { backpropInputPadding, convGeometry } from './conv-geometry.js';
import { cropNegative, zeroInsert, type Info, type KernelCalls } from './kernel-calls.js';

export interface Conv2DBackpropInputAttrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | [[number, number], [number, number], [number, number], [number, number]];
  dataFormat?: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  inputShape: [number, number, number, number];
  /** Not a tfjs attribute: hwnas's Conv2D gradient passes it so dilated convolutions train. */
  dilations?: number | [number, number];
}

export function conv2dBackpropInput(calls: KernelCalls, inputs: { dy: Info; filter: Info }, attrs: Conv2DBackpropInputAttrs): Info {
  const g = convGeometry(attrs.inputShape, inputs.filter.shape, attrs.strides, attrs.dilations, attrs.pad, attrs.dimRoundingMode, false);
  const upsampled = zeroInsert(calls, inputs.dy, g.strideHeight, g.strideWidth);
  const { x: dyU, pad } = cropNegative(calls, upsampled, backpropInputPadding(g));
  calls.free(upsampled);
  const flipped = calls.reverse(inputs.filter, [0, 1]);
  const filterT = calls.transpose(flipped, [0, 1, 3, 2]);
  calls.free(flipped);
  const dx = calls.conv2d(dyU, filterT, [1, 1], [g.dilationHeight, g.dilationWidth], pad);
  calls.free(dyU, filterT);
  return dx;
}
