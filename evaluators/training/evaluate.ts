/** Top-1 accuracy and mean loss of a model over a split, in batches, without leaking tensors. */
import * as tf from '@tensorflow/tfjs';
import { epochOrder, makeBatch, type PixelSplit } from './batches.js';
import { Rng } from '../../core/rng.js';

export interface Evaluation { accuracy: number; loss: number; count: number }

export function evaluateSplit(model: tf.LayersModel, split: PixelSplit, inputShape: readonly [number, number, number],
  numClasses: number, batchSize = 128): Evaluation {
  if (split.count === 0) return { accuracy: Number.NaN, loss: Number.NaN, count: 0 };
  const indices = Int32Array.from({ length: split.count }, (_, i) => i);
  let correct = 0, lossSum = 0;
  for (let start = 0; start < split.count; start += batchSize) {
    const end = Math.min(split.count, start + batchSize);
    const [hits, loss] = tf.tidy(() => {
      const { x, y } = makeBatch(split, inputShape, numClasses, indices, start, end);
      const logits = model.predict(x) as tf.Tensor2D;
      const hit = tf.equal(tf.argMax(logits, 1), tf.argMax(y, 1)).sum();
      const l = tf.losses.softmaxCrossEntropy(y, logits, undefined, undefined, tf.Reduction.SUM);
      return [hit.dataSync()[0]!, l.dataSync()[0]!];
    });
    correct += hits;
    lossSum += loss;
  }
  return { accuracy: correct / split.count, loss: lossSum / split.count, count: split.count };
}

/** A seeded subset of a split, for cheap evaluation during search (same examples every time). */
export function subsetOf(split: PixelSplit, size: number, seed: number, pixelsPerExample: number): PixelSplit {
  if (size >= split.count) return split;
  const order = epochOrder(split.count, size / split.count, new Rng(seed));
  const pixels = new Uint8Array(order.length * pixelsPerExample);
  const labels = new Uint8Array(order.length);
  order.forEach((example, i) => {
    pixels.set(split.pixels.subarray(example * pixelsPerExample, (example + 1) * pixelsPerExample), i * pixelsPerExample);
    labels[i] = split.labels[example]!;
  });
  return { pixels, labels, count: order.length };
}
