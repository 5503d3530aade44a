/**
 * The training engine: trains a tfjs model on a dataset split for a budget and reports
 * per-epoch curves, validation/test accuracy, wall time and throughput. A run whose loss
 * turns NaN or infinite ends early with status 'diverged' and a reason instead of
 * throwing, so one bad candidate never takes a search down. Every tensor it makes is
 * released: `tf.memory().numTensors` is the same before and after (tested).
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../core/rng.js';
import { epochOrder, makeBatch, type PixelSplit } from './batches.js';
import { evaluateSplit } from './evaluate.js';
import { createOptimizer, type OptimizerConfig } from './optimizer.js';
import { learningRateAt, type LrSchedule } from './schedule.js';

export interface TrainBudget {
  epochs: number;
  /** Share of the training split each epoch visits (multi-fidelity searches use < 1). */
  trainFraction?: number;
  batchSize: number;
}

export interface TrainConfig {
  budget: TrainBudget;
  optimizer: OptimizerConfig;
  schedule: LrSchedule;
  seed: number;
  /** Restore the weights of the epoch with the best validation accuracy before testing (default true). */
  keepBestWeights?: boolean;
  /** Evaluate the test split at the end (default true). */
  evaluateTest?: boolean;
  /** Knowledge distillation: blend in the teacher's softened predictions. */
  distill?: DistillConfig;
}

/**
 * Hinton et al.'s distillation loss: (1 - alpha) * CE(labels, student) + alpha * T^2 *
 * KL(softmax(teacher / T) || softmax(student / T)). T^2 keeps the soft term's gradient
 * scale independent of the temperature.
 */
export interface DistillConfig {
  teacher: tf.LayersModel;
  alpha: number;
  temperature: number;
}

export interface TrainData {
  inputShape: readonly [number, number, number];
  numClasses: number;
  train: PixelSplit;
  validation: PixelSplit;
  test: PixelSplit;
}

export interface EpochRecord {
  epoch: number;
  trainLoss: number;
  trainAccuracy: number;
  validationLoss: number;
  validationAccuracy: number;
  learningRate: number;
  seconds: number;
  imagesPerSecond: number;
}

export type TrainStatus = 'complete' | 'diverged' | 'stopped';

export interface TrainResult {
  status: TrainStatus;
  reason?: string;
  epochs: EpochRecord[];
  bestEpoch: number;
  validationAccuracy: number;
  testAccuracy: number;
  testLoss: number;
  wallSeconds: number;
  trainSeconds: number;
  trainImages: number;
  trainImagesPerSecond: number;
}

/** After each step: where it is, its loss, and the images it trained on and the seconds it took (the last batch may be short). */
export interface BatchProgress { epoch: number; batch: number; batches: number; loss: number; learningRate: number; images: number; seconds: number }

export interface TrainCallbacks {
  onBatch?(progress: BatchProgress): void;
  /**
   * Runs after every optimizer step, inside no tidy scope of the trainer's: compression
   * uses it to re-apply pruning masks, re-quantize (QAT) or re-snap clusters. The hook
   * owns any tensors it creates.
   */
  afterStep?(model: tf.LayersModel, step: number): void;
  onEpoch?(record: EpochRecord): void;
  /** Polled between batches: return true to stop (the result then has status 'stopped'). */
  shouldStop?(): boolean;
}

function distillationLoss(hard: tf.Scalar, teacherSoft: tf.Tensor2D, logits: tf.Tensor2D, d: DistillConfig): tf.Scalar {
  const studentLogSoft = tf.logSoftmax(tf.div(logits, d.temperature));
  // KL(p || q) = sum p (log p - log q); the p log p term has no student gradient but keeps the value a true KL.
  const kl = tf.mean(tf.sum(tf.mul(teacherSoft, tf.sub(tf.log(tf.add(teacherSoft, 1e-8)), studentLogSoft)), 1));
  return tf.add(tf.mul(hard, 1 - d.alpha), tf.mul(kl, d.alpha * d.temperature * d.temperature)) as tf.Scalar;
}

function checkConfig(config: TrainConfig): void {
  const { epochs, batchSize, trainFraction = 1 } = config.budget;
  if (!(epochs > 0)) throw new RangeError(`budget.epochs must be > 0, got ${epochs}`);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`budget.batchSize must be a positive integer, got ${batchSize}`);
  if (!(trainFraction > 0 && trainFraction <= 1)) throw new RangeError(`budget.trainFraction must be in (0, 1], got ${trainFraction}`);
  if (!(config.optimizer.learningRate > 0)) throw new RangeError(`optimizer.learningRate must be > 0, got ${config.optimizer.learningRate}`);
  if (config.distill !== undefined && !(config.distill.alpha >= 0 && config.distill.alpha <= 1 && config.distill.temperature > 0)) {
    throw new RangeError(`distill.alpha must be in [0, 1] and distill.temperature > 0, got ${config.distill.alpha} and ${config.distill.temperature}`);
  }
}

/**
 * Trains `model` (already built, owned by the caller) on `data`. Fractional epochs train
 * the last epoch on that share of the data.
 */
export function trainModel(model: tf.LayersModel, data: TrainData, config: TrainConfig, callbacks: TrainCallbacks = {}): TrainResult {
  checkConfig(config);
  const started = performance.now();
  const { epochs: epochBudget, batchSize, trainFraction = 1 } = config.budget;
  const rng = new Rng(config.seed);
  const optimizer = createOptimizer(config.optimizer);
  const keepBest = config.keepBestWeights ?? true;
  const records: EpochRecord[] = [];
  let best: { accuracy: number; epoch: number; weights: tf.Tensor[] | null } = { accuracy: -1, epoch: -1, weights: null };
  let status: TrainStatus = 'complete';
  let reason: string | undefined;
  let trainSeconds = 0, trainImages = 0, step = 0;

  try {
    const wholeEpochs = Math.ceil(epochBudget);
    for (let epoch = 0; epoch < wholeEpochs && status === 'complete'; epoch++) {
      // A fractional last epoch covers `portion` of an epoch; the schedule advances by that much over its batches.
      const portion = Math.min(1, epochBudget - epoch);
      const order = epochOrder(data.train.count, portion * trainFraction, rng);
      const batches = Math.ceil(order.length / batchSize);
      const epochStart = performance.now();
      let lossSum = 0, hitSum = 0, seen = 0;
      let lr = config.optimizer.learningRate;
      for (let b = 0; b < batches; b++) {
        if (callbacks.shouldStop?.()) { status = 'stopped'; reason = `stopped at epoch ${epoch + 1}, batch ${b + 1}`; break; }
        lr = learningRateAt(config.schedule, config.optimizer.learningRate, epoch + portion * b / batches, epochBudget);
        optimizer.learningRate = lr;
        const start = b * batchSize, end = Math.min(order.length, start + batchSize);
        const stepStart = performance.now();
        const [loss, hits] = tf.tidy(() => {
          const { x, y } = makeBatch(data.train, data.inputShape, data.numClasses, order, start, end);
          let hitCount: tf.Tensor | null = null;
          const soft = config.distill === undefined ? null
            : tf.softmax(tf.div(config.distill.teacher.predict(x) as tf.Tensor2D, config.distill.temperature));
          const cost = optimizer.minimize(() => {
            const logits = model.apply(x, { training: true }) as tf.Tensor2D;
            hitCount = tf.keep(tf.equal(tf.argMax(logits, 1), tf.argMax(y, 1)).sum());
            const hard = tf.losses.softmaxCrossEntropy(y, logits) as tf.Scalar;
            if (soft === null || config.distill === undefined) return hard;
            return distillationLoss(hard, soft as tf.Tensor2D, logits, config.distill);
          }, true);
          const values = [cost!.dataSync()[0]!, (hitCount as tf.Tensor | null)?.dataSync()[0] ?? 0];
          (hitCount as tf.Tensor | null)?.dispose();
          return values;
        }) as [number, number];
        if (!Number.isFinite(loss)) {
          status = 'diverged';
          reason = `training loss became ${loss} at epoch ${epoch + 1}, batch ${b + 1} (learning rate ${lr.toPrecision(3)})`;
          break;
        }
        callbacks.afterStep?.(model, step++);
        lossSum += loss * (end - start);
        hitSum += hits;
        seen += end - start;
        callbacks.onBatch?.({ epoch, batch: b, batches, loss, learningRate: lr, images: end - start, seconds: (performance.now() - stepStart) / 1000 });
      }
      const epochSeconds = (performance.now() - epochStart) / 1000;
      trainSeconds += epochSeconds;
      trainImages += seen;
      if (status !== 'complete' || seen === 0) break;
      const validation = evaluateSplit(model, data.validation, data.inputShape, data.numClasses);
      const record: EpochRecord = {
        epoch: epoch + 1, trainLoss: lossSum / seen, trainAccuracy: hitSum / seen,
        validationLoss: validation.loss, validationAccuracy: validation.accuracy,
        learningRate: lr, seconds: epochSeconds, imagesPerSecond: seen / epochSeconds,
      };
      records.push(record);
      callbacks.onEpoch?.(record);
      // The loss checked above is the one before each update: the epoch's last update can still make the
      // outputs overflow (with one batch an epoch, the only update), and the model then scores chance.
      if (data.validation.count > 0 && !Number.isFinite(validation.loss)) {
        status = 'diverged';
        reason = `validation loss became ${validation.loss} after epoch ${epoch + 1} (learning rate ${lr.toPrecision(3)})`;
        break;
      }
      const score = Number.isNaN(validation.accuracy) ? record.trainAccuracy : validation.accuracy;
      if (score > best.accuracy) {
        best.weights?.forEach((w) => w.dispose());
        best = { accuracy: score, epoch: epoch + 1, weights: keepBest ? model.getWeights().map((w) => tf.keep(w.clone())) : null };
      }
    }
    if (keepBest && best.weights !== null && best.epoch !== records.length) model.setWeights(best.weights);
    const test = (config.evaluateTest ?? true) && status !== 'diverged'
      ? evaluateSplit(model, data.test, data.inputShape, data.numClasses)
      : { accuracy: Number.NaN, loss: Number.NaN };
    const result: TrainResult = {
      status, epochs: records, bestEpoch: best.epoch,
      validationAccuracy: best.epoch > 0 ? records[best.epoch - 1]!.validationAccuracy : Number.NaN,
      testAccuracy: test.accuracy, testLoss: test.loss,
      wallSeconds: (performance.now() - started) / 1000, trainSeconds, trainImages,
      trainImagesPerSecond: trainSeconds > 0 ? trainImages / trainSeconds : 0,
    };
    if (reason !== undefined) result.reason = reason;
    return result;
  } finally {
    best.weights?.forEach((w) => w.dispose());
    optimizer.dispose();
  }
}
