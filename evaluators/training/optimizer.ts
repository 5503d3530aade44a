/** Optimizer configuration as plain JSON, and the tfjs optimizer it stands for. */
import * as tf from '@tensorflow/tfjs';
import type { OptimizerName } from './optimizer-names.js';

export { OPTIMIZER_NAMES, type OptimizerName } from './optimizer-names.js';

export interface OptimizerConfig {
  name: OptimizerName;
  learningRate: number;
  /** For momentum (default 0.9) and rmsprop (default 0). */
  momentum?: number;
}

/** tfjs optimizers read `learningRate` on every step, which is how schedules drive them. */
export type SchedulableOptimizer = tf.Optimizer & { learningRate: number };

export function createOptimizer(config: OptimizerConfig): SchedulableOptimizer {
  const lr = config.learningRate;
  switch (config.name) {
    case 'adam': return tf.train.adam(lr) as unknown as SchedulableOptimizer;
    case 'sgd': return tf.train.sgd(lr) as unknown as SchedulableOptimizer;
    case 'momentum': return tf.train.momentum(lr, config.momentum ?? 0.9) as unknown as SchedulableOptimizer;
    case 'rmsprop': return tf.train.rmsprop(lr, 0.9, config.momentum ?? 0) as unknown as SchedulableOptimizer;
  }
}
