/**
 * Mini-batches from a dataset split stored as uint8 pixels (see evaluators/datasets): each
 * batch is converted to float32 in [0, 1] as it is drawn, so a worker never holds a
 * float copy of the whole training set (Fashion-MNIST's would be 188 MB per worker).
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../core/rng.js';

/** The part of a dataset split the trainer reads. */
export interface PixelSplit {
  pixels: Uint8Array;
  labels: Uint8Array;
  count: number;
}

/** Indices of the examples one epoch visits, in a seeded order; `fraction` < 1 takes a prefix. */
export function epochOrder(count: number, fraction: number, rng: Rng): Int32Array {
  const order = new Int32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  rng.shuffle(order);
  const used = Math.max(1, Math.min(count, Math.round(count * fraction)));
  return used === count ? order : order.slice(0, used);
}

/** Builds the input and one-hot label tensors for the examples `indices[start..end)`. */
export function makeBatch(split: PixelSplit, inputShape: readonly [number, number, number], numClasses: number,
  indices: ArrayLike<number>, start: number, end: number): { x: tf.Tensor4D; y: tf.Tensor2D } {
  const pixelsPerExample = inputShape[0] * inputShape[1] * inputShape[2];
  const size = end - start;
  const x = new Float32Array(size * pixelsPerExample);
  const y = new Float32Array(size * numClasses);
  for (let i = 0; i < size; i++) {
    const example = indices[start + i]!;
    const from = example * pixelsPerExample;
    const to = i * pixelsPerExample;
    for (let p = 0; p < pixelsPerExample; p++) x[to + p] = split.pixels[from + p]! / 255;
    y[i * numClasses + split.labels[example]!] = 1;
  }
  return {
    x: tf.tensor4d(x, [size, inputShape[0], inputShape[1], inputShape[2]]),
    y: tf.tensor2d(y, [size, numClasses]),
  };
}
