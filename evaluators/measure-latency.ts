/**
 * Measures real inference latency on this machine: batch 1, warm-up runs first (the wasm
 * backend compiles kernels on first use), then the median of N timed runs, each read back
 * with dataSync so the time includes the whole forward pass.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelSpec } from '../spaces/model-spec.js';
import { buildModel } from './build-model.js';

export function measureLatencyMs(spec: ModelSpec, runs = 25, warmup = 5): number {
  const model = buildModel(spec, 0);
  const x = tf.randomUniform([1, ...spec.inputShape], 0, 1, 'float32', 1);
  try {
    const once = () => tf.tidy(() => (model.predict(x) as tf.Tensor).dataSync());
    for (let i = 0; i < warmup; i++) once();
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      once();
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    return times[Math.floor(times.length / 2)]!;
  } finally {
    x.dispose();
    model.dispose();
  }
}
