/**
 * Measures real inference latency on this machine: batch 1, warm-up runs first (the wasm
 * backend compiles kernels on first use), then the lower quartile of the timed runs, each
 * read back with dataSync so the time includes the whole forward pass.
 *
 * Why the lower quartile and a process warm-up: on a shared machine the same model's
 * median moved 2x between repeats, and the first models a process measures run slower
 * while V8 still tiers up tfjs's JavaScript. A process's first measurement therefore
 * first runs its model for a while untimed, and each measurement reports a low quantile,
 * which interference (another process on the core) can only push up.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelSpec } from '../spaces/model-spec.js';
import { buildModel } from './build-model.js';

let processWarm = false;
const PROCESS_WARMUP_MS = 2000;

/**
 * Several models' latencies, measured in rounds: each round times every model a few
 * times, and a model's figure is the lower quartile over all its rounds. On a shared
 * machine interference comes in bursts of seconds; timing one model after another lets a
 * burst slow a run of consecutive models (the same models measured twice that way agreed
 * only at Spearman 0.79 here), while rounds spread each model's samples over the whole
 * measurement.
 */
export function measureLatenciesMs(specs: readonly ModelSpec[], rounds = 5, runsPerRound = 5, warmup = 3): number[] {
  const models = specs.map((spec) => buildModel(spec, 0));
  const inputs = specs.map((spec) => tf.randomUniform([1, ...spec.inputShape], 0, 1, 'float32', 1));
  try {
    const once = (i: number) => tf.tidy(() => (models[i]!.predict(inputs[i]!) as tf.Tensor).dataSync());
    if (!processWarm && models.length > 0) {
      const until = performance.now() + PROCESS_WARMUP_MS;
      while (performance.now() < until) once(0);
      processWarm = true;
    }
    models.forEach((_, i) => { for (let w = 0; w < warmup; w++) once(i); });
    const times = models.map(() => [] as number[]);
    for (let round = 0; round < rounds; round++) {
      for (let i = 0; i < models.length; i++) {
        for (let r = 0; r < runsPerRound; r++) {
          const started = performance.now();
          once(i);
          times[i]!.push(performance.now() - started);
        }
      }
    }
    return times.map((t) => t.sort((a, b) => a - b)[Math.floor((t.length - 1) / 4)]!);
  } finally {
    for (const x of inputs) x.dispose();
    for (const m of models) m.dispose();
  }
}

