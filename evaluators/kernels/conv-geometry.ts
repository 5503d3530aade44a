/** Geometry shared by the backprop kernels: where a forward convolution's taps land. */
import * as tf from '@tensorflow/tfjs';

export interface ConvGeometry {
  batch: number;
  inHeight: number; inWidth: number; inChannels: number;
  outHeight: number; outWidth: number;
  filterHeight: number; filterWidth: number;
  strideHeight: number; strideWidth: number;
  dilationHeight: number; dilationWidth: number;
  padTop: number; padLeft: number;
}

type Pad = 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;

/** The forward convolution's geometry, from tfjs-core's own rules so padding agrees exactly. */
export function convGeometry(
  inputShape: number[], filterShape: number[], strides: number | [number, number],
  dilations: number | [number, number] | undefined, pad: Pad,
  dimRoundingMode: 'floor' | 'round' | 'ceil' | undefined, depthwise: boolean,
): ConvGeometry {
  const info = tf.backend_util.computeConv2DInfo(
    inputShape as [number, number, number, number], filterShape as [number, number, number, number],
    strides, dilations ?? 1, pad, dimRoundingMode, depthwise, 'channelsLast');
  return {
    batch: info.batchSize,
    inHeight: info.inHeight, inWidth: info.inWidth, inChannels: info.inChannels,
    outHeight: info.outHeight, outWidth: info.outWidth,
    filterHeight: info.filterHeight, filterWidth: info.filterWidth,
    strideHeight: info.strideHeight, strideWidth: info.strideWidth,
    dilationHeight: info.dilationHeight, dilationWidth: info.dilationWidth,
    padTop: info.padInfo.top, padLeft: info.padInfo.left,
  };
}

/**
 * Padding that makes a stride-1 correlation of the stride-upsampled output gradient
 * with the flipped filter produce exactly the input gradient. The upsampled gradient
 * has `out * stride` rows (zero insertion leaves stride-1 trailing zero rows).
 */
export function backpropInputPadding(g: ConvGeometry): { top: number; bottom: number; left: number; right: number } {
  const effH = (g.filterHeight - 1) * g.dilationHeight;
  const effW = (g.filterWidth - 1) * g.dilationWidth;
  const top = effH - g.padTop;
  const left = effW - g.padLeft;
  return {
    top,
    bottom: g.inHeight + effH - g.outHeight * g.strideHeight - top,
    left,
    right: g.inWidth + effW - g.outWidth * g.strideWidth - left,
  };
}

/**
 * Padding of the input for the filter-gradient correlation, where the output gradient
 * is the (stride-dilated) filter and the forward dilation becomes the stride: the
 * padded input must hold exactly the rows the forward taps read.
 */
export function backpropFilterPadding(g: ConvGeometry): { top: number; bottom: number; left: number; right: number } {
  const needH = (g.filterHeight - 1) * g.dilationHeight + (g.outHeight - 1) * g.strideHeight + 1;
  const needW = (g.filterWidth - 1) * g.dilationWidth + (g.outWidth - 1) * g.strideWidth + 1;
  return {
    top: g.padTop,
    bottom: needH - g.inHeight - g.padTop,
    left: g.padLeft,
    right: needW - g.inWidth - g.padLeft,
  };
}
