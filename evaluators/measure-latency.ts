/**
 * Measures real inference latency on this machine: batch 1, warm-up runs first (the wasm
 * backend compiles kernels on first use), each run read back with dataSync so the time
 * includes the whole forward pass.
 *
 * Why every run is timed against a reference model run just before and after it: on this
 * shared VM the machine's speed drifts by up to 1.5x over seconds (other tenants; no
 * steal time shows), so the same 40 models measured twice, one round after another,
 * agreed only at Spearman 0.92 (lower quartile of 25 runs each). A run's time divided by
 * its neighbouring reference runs cancels the drift (0.99 on the same models); the
 * figure is the median ratio times the reference's lower-quartile time, in ms.
 * A process's first measurement also runs a model untimed for a while first: the first
 * models a process times run slower while V8 still tiers up tfjs's JavaScript.
 */
import * as tf from '@tensorflow/tfjs';
import { quantile } from '../core/stats.js';
import type { ModelSpec } from '../spaces/model-spec.js';
import { buildModel } from './build-model.js';

let processWarm = false;
const PROCESS_WARMUP_MS = 2000;

/** How figures are measured, for profiles' sources and the CLI's help. */
export const MEASUREMENT_METHOD = 'median of 25 runs in 5 rounds over all models, each run relative to a reference model timed around it';

/**
 * Several models' latencies in ms. Models are timed in rounds (each round times every
 * model `runsPerRound` times) so each model's samples spread over the whole measurement,
 * and every timed run sits between two runs of the reference model.
 */
export function measureLatenciesMs(specs: readonly ModelSpec[], rounds = 5, runsPerRound = 5, warmup = 3): number[] {
  const models = specs.map((spec) => buildModel(spec, 0));
  const inputs = specs.map((spec) => tf.randomUniform([1, ...spec.inputShape], 0, 1, 'float32', 1));
  try {
    const time = (i: number) => {
      const started = performance.now();
      tf.tidy(() => (models[i]!.predict(inputs[i]!) as tf.Tensor).dataSync());
      return performance.now() - started;
    };
    if (models.length === 0) return [];
    if (!processWarm) {
      const until = performance.now() + PROCESS_WARMUP_MS;
      while (performance.now() < until) time(0);
      processWarm = true;
    }
    // The reference is the model of median warm-up time: a typical model, so it drifts as
    // the others do and adds about one typical run per timed run.
    const warmTimes = models.map((_, i) => { let t = 0; for (let w = 0; w < warmup; w++) t = time(i); return t; });
    // Nearest to the median: with an even count the median lies between two models.
    const middle = quantile(warmTimes, 0.5);
    const ref = warmTimes.reduce((best, t, i) => (Math.abs(t - middle) < Math.abs(warmTimes[best]! - middle) ? i : best), 0);
    const ratios = models.map(() => [] as number[]);
    const reference: number[] = [];
    let before = time(ref);
    for (let round = 0; round < rounds; round++) {
      for (let i = 0; i < models.length; i++) {
        for (let r = 0; r < runsPerRound; r++) {
          const run = time(i), after = time(ref);
          reference.push(after);
          ratios[i]!.push(run / Math.min(before, after));
          before = after;
        }
      }
    }
    const scale = quantile(reference, 0.25);
    return ratios.map((r) => quantile(r, 0.5) * scale);
  } finally {
    for (const x of inputs) x.dispose();
    for (const m of models) m.dispose();
  }
}
