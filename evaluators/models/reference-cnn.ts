/**
 * The reference CNN of the benchmarks (conv3x3/16-relu-maxpool-conv3x3/32-relu-maxpool-
 * dense64-relu-dense10, 'same' padding), with seeded initializers so a run is repeatable.
 */
import * as tf from '@tensorflow/tfjs';

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
