/**
 * The reference CNN of the benchmarks (conv3x3/16-relu-maxpool-conv3x3/32-relu-maxpool-
 * dense64-relu-dense10, 'same' padding), with seeded initializers so a run is repeatable.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelSpec } from '../../spaces/model-spec.js';

export function buildReferenceCnn(inputShape: readonly [number, number, number], numClasses: number, seed: number): tf.LayersModel {
  const init = (offset: number) => tf.initializers.glorotUniform({ seed: seed * 16 + offset });
  return tf.sequential({
    name: 'reference_cnn',
    layers: [
      tf.layers.conv2d({ inputShape: [...inputShape], filters: 16, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(1) }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 32, kernelSize: 3, padding: 'same', activation: 'relu', kernelInitializer: init(2) }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 64, activation: 'relu', kernelInitializer: init(3) }),
      tf.layers.dense({ units: numClasses, kernelInitializer: init(4) }),
    ],
  });
}

/** Multiply-accumulates of one forward pass, for GFLOP/s figures (2 FLOPs per MAC). */
export function referenceCnnMacs(inputShape: readonly [number, number, number], numClasses: number): number {
  const [h, w, c] = inputShape;
  const conv1 = h * w * 16 * 9 * c;
  const h2 = Math.floor(h / 2), w2 = Math.floor(w / 2);
  const conv2 = h2 * w2 * 32 * 9 * 16;
  const flat = Math.floor(h2 / 2) * Math.floor(w2 / 2) * 32;
  return conv1 + conv2 + flat * 64 + 64 * numClasses;
}

/**
 * The same network as a ModelSpec, so the compression pipeline (which works on specs)
 * can prune, quantize and cut channels from it; `width` scales every hidden layer
 * (0.5 = the 50%-channel structured-pruning target).
 */
export function referenceCnnSpec(inputShape: [number, number, number], numClasses: number, width = 1): ModelSpec {
  const w = (n: number) => Math.max(1, Math.round(n * width));
  return {
    name: 'reference_cnn', inputShape, numClasses,
    nodes: [
      { name: 'conv0', layer: { op: 'conv2d', filters: w(16), kernel: 3, stride: 1, padding: 'same', activation: 'relu', bias: true }, inputs: ['input'] },
      { name: 'pool0', layer: { op: 'maxpool', size: 2, stride: 2, padding: 'valid' }, inputs: ['conv0'] },
      { name: 'conv1', layer: { op: 'conv2d', filters: w(32), kernel: 3, stride: 1, padding: 'same', activation: 'relu', bias: true }, inputs: ['pool0'] },
      { name: 'pool1', layer: { op: 'maxpool', size: 2, stride: 2, padding: 'valid' }, inputs: ['conv1'] },
      { name: 'flatten', layer: { op: 'flatten' }, inputs: ['pool1'] },
      { name: 'dense0', layer: { op: 'dense', units: w(64), activation: 'relu', bias: true }, inputs: ['flatten'] },
      { name: 'logits', layer: { op: 'dense', units: numClasses, activation: 'linear', bias: true }, inputs: ['dense0'] },
    ],
  };
}
