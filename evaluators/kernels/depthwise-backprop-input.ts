/**
 * DepthwiseConv2dNativeBackpropInput for wasm, which has none: a stride-1 depthwise
 * convolution of the zero-upsampled output gradient with the flipped filter. With a
 * channel multiplier m, every one of the C*m output channels is convolved on its own
 * and the m results belonging to one input channel are summed.
 */
import { backpropInputPadding, convGeometry } from './conv-geometry.js';
import { cropNegative, zeroInsert, type Info, type KernelCalls } from './kernel-calls.js';

export interface DepthwiseBackpropInputAttrs {
  strides: number | [number, number];
  dilations?: number | [number, number];
  pad: 'valid' | 'same' | number | [[number, number], [number, number], [number, number], [number, number]];
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  inputShape: [number, number, number, number];
}

export function depthwiseBackpropInput(calls: KernelCalls, inputs: { dy: Info; filter: Info }, attrs: DepthwiseBackpropInputAttrs): Info {
  const [kh, kw, channels, multiplier] = inputs.filter.shape as [number, number, number, number];
  const g = convGeometry(attrs.inputShape, inputs.filter.shape, attrs.strides, attrs.dilations, attrs.pad, attrs.dimRoundingMode, true);
  const upsampled = zeroInsert(calls, inputs.dy, g.strideHeight, g.strideWidth);
  const { x: dyU, pad } = cropNegative(calls, upsampled, backpropInputPadding(g));
  calls.free(upsampled);
  const flipped = calls.reverse(inputs.filter, [0, 1]);
  const perOutputChannel = calls.reshape(flipped, [kh, kw, channels * multiplier, 1]);
  calls.free(flipped);
  const dxPerOutput = calls.depthwiseConv2d(dyU, perOutputChannel, [1, 1], [g.dilationHeight, g.dilationWidth], pad);
  calls.free(dyU, perOutputChannel);
  if (multiplier === 1) return dxPerOutput;
  const [b, h, w] = attrs.inputShape;
  const grouped = calls.reshape(dxPerOutput, [b, h, w, channels, multiplier]);
  calls.free(dxPerOutput);
  const dx = calls.sum(grouped, [4]);
  calls.free(grouped);
  return dx;
}
