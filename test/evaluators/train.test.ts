import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels } from '../../evaluators/kernels/register-wasm.js';
import { buildReferenceCnn } from '../../evaluators/models/reference-cnn.js';
import { learningRateAt, LR_SCHEDULE_KINDS, scheduleNamed } from '../../evaluators/training/schedule.js';
import { trainModel, type TrainConfig, type TrainData } from '../../evaluators/training/train.js';
import { quadrantData } from '../helpers/quadrant-data.js';

beforeAll(async () => {
  await tf.setBackend('wasm');
  await tf.ready();
  registerWasmTrainingKernels();
});

const data: TrainData = quadrantData();

const config: TrainConfig = {
  budget: { epochs: 2, batchSize: 32 },
  optimizer: { name: 'adam', learningRate: 3e-3 },
  schedule: { kind: 'cosine' },
  seed: 7,
};

describe('trainModel', () => {
  it('learns a learnable task and reports curves, accuracies and throughput', () => {
    const model = buildReferenceCnn(data.inputShape, data.numClasses, 1);
    const epochs: number[] = [];
    const result = trainModel(model, data, config, { onEpoch: (r) => epochs.push(r.epoch) });
    model.dispose();
    expect(result.status).toBe('complete');
    expect(epochs).toEqual([1, 2]);
    expect(result.epochs).toHaveLength(2);
    expect(result.testAccuracy).toBeGreaterThan(0.9);
    expect(result.validationAccuracy).toBeGreaterThan(0.9);
    expect(result.trainImages).toBe(1024);
    expect(result.trainImagesPerSecond).toBeGreaterThan(0);
    expect(result.epochs[1]!.trainLoss).toBeLessThan(result.epochs[0]!.trainLoss);
  });

  it('is deterministic for a seed', () => {
    const run = () => {
      const model = buildReferenceCnn(data.inputShape, data.numClasses, 3);
      const r = trainModel(model, data, { ...config, budget: { epochs: 1, batchSize: 32, trainFraction: 0.5 } });
      model.dispose();
      return r.epochs.map((e) => e.trainLoss);
    };
    expect(run()).toEqual(run());
  });

  it('ends a diverging run early with a reason instead of throwing', () => {
    const model = buildReferenceCnn(data.inputShape, data.numClasses, 2);
    const result = trainModel(model, data, { ...config, optimizer: { name: 'sgd', learningRate: 1e12 } });
    model.dispose();
    expect(result.status).toBe('diverged');
    expect(result.reason).toMatch(/training loss became (NaN|Infinity|-Infinity) at epoch 1, batch \d+/);
    expect(Number.isNaN(result.testAccuracy)).toBe(true);
  });

  it('catches a divergence in the last update of an epoch, which no training loss shows', () => {
    const model = buildReferenceCnn(data.inputShape, data.numClasses, 2);
    // One batch: its loss is taken before the only update, the one that blows the weights up.
    const result = trainModel(model, data, { ...config, budget: { epochs: 1, batchSize: 32, trainFraction: 32 / 512 }, optimizer: { name: 'sgd', learningRate: 1e12 } });
    model.dispose();
    expect(result.epochs).toHaveLength(1);
    expect(Number.isFinite(result.epochs[0]!.trainLoss)).toBe(true);
    expect(result.status).toBe('diverged');
    expect(result.reason).toMatch(/^validation loss became (NaN|Infinity) after epoch 1/);
  });

  it('leaks no tensors across repeated trainings', () => {
    const once = () => {
      const model = buildReferenceCnn(data.inputShape, data.numClasses, 4);
      trainModel(model, data, { ...config, budget: { epochs: 1.5, batchSize: 64, trainFraction: 0.25 } });
      model.dispose();
    };
    once();
    const before = tf.memory().numTensors;
    once();
    once();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('stops between batches when asked', () => {
    const model = buildReferenceCnn(data.inputShape, data.numClasses, 5);
    let batches = 0;
    const result = trainModel(model, data, config, { onBatch: () => { batches++; }, shouldStop: () => batches >= 3 });
    model.dispose();
    expect(result.status).toBe('stopped');
    expect(batches).toBe(3);
  });

  it('advances the schedule by a fractional last epoch\'s share, not by a whole epoch (cosine reached zero a tenth into 0.1 epochs)', () => {
    const model = buildReferenceCnn(data.inputShape, data.numClasses, 1);
    const rates: number[] = [];
    trainModel(model, data, { ...config, budget: { epochs: 1.25, batchSize: 16 } }, { onBatch: (b) => rates.push(b.learningRate) });
    model.dispose();
    // 32 batches of 16 in the first epoch, 8 in the quarter epoch; cosine over 1.25 epochs.
    expect(rates).toHaveLength(40);
    const base = config.optimizer.learningRate;
    expect(rates[32]).toBeCloseTo(learningRateAt(config.schedule, base, 1, 1.25), 9);
    expect(rates[36]).toBeCloseTo(learningRateAt(config.schedule, base, 1.125, 1.25), 9);
    expect(rates[39]).toBeGreaterThan(0);
  });

  it('rejects a budget that cannot train', () => {
    const model = buildReferenceCnn(data.inputShape, data.numClasses, 6);
    expect(() => trainModel(model, data, { ...config, budget: { epochs: 0, batchSize: 32 } })).toThrow(/epochs must be > 0/);
    expect(() => trainModel(model, data, { ...config, budget: { epochs: 1, batchSize: 0 } })).toThrow(/batchSize/);
    model.dispose();
  });
});

describe('learning-rate schedules', () => {
  it('cosine decays from the base rate to its floor', () => {
    const s = { kind: 'cosine' as const, minFactor: 0.1 };
    expect(learningRateAt(s, 1, 0, 10)).toBeCloseTo(1);
    expect(learningRateAt(s, 1, 5, 10)).toBeCloseTo(0.55);
    expect(learningRateAt(s, 1, 10, 10)).toBeCloseTo(0.1);
  });
  it('step and exponential decay as configured', () => {
    expect(learningRateAt({ kind: 'step', everyEpochs: 2, factor: 0.5 }, 1, 4.5, 10)).toBeCloseTo(0.25);
    expect(learningRateAt({ kind: 'exponential', perEpoch: 0.9 }, 1, 2, 10)).toBeCloseTo(0.81);
  });
  it('every --schedule name gives a finite rate over a run of any length (step and exponential were NaN)', () => {
    for (const kind of LR_SCHEDULE_KINDS) {
      for (const epochs of [0.15, 1, 3, 40]) {
        const s = scheduleNamed(kind, epochs);
        for (const at of [0, epochs / 2, epochs * 0.999]) expect(learningRateAt(s, 0.002, at, epochs), `${kind} ${epochs} @${at}`).toBeGreaterThan(0);
      }
    }
    expect(learningRateAt(scheduleNamed('step', 3), 1, 2.5, 3)).toBeCloseTo(0.01);
    expect(learningRateAt(scheduleNamed('exponential', 4), 1, 4, 4)).toBeCloseTo(0.01);
  });
});

describe('trainModel hooks for compression', () => {
  it('calls afterStep once per optimizer step, and a mask it applies holds at the end', () => {
    const model = buildReferenceCnn(data.inputShape, data.numClasses, 8);
    const dense = model.getLayer(undefined, 5);
    const kernel = dense.getWeights()[0]!;
    const mask = tf.tidy(() => tf.cast(tf.greater(tf.abs(kernel), 0.05), 'float32'));
    let steps = 0;
    trainModel(model, data, { ...config, budget: { epochs: 1, batchSize: 64 } }, {
      afterStep: (m, step) => {
        expect(step).toBe(steps++);
        const layer = m.getLayer(undefined, 5);
        const [w, b] = layer.getWeights();
        layer.setWeights([tf.tidy(() => tf.mul(w!, mask)), b!]);
      },
    });
    expect(steps).toBe(Math.ceil(512 / 64));
    const zerosExpected = mask.size - mask.sum().dataSync()[0]!;
    const w = dense.getWeights()[0]!.dataSync();
    expect(w.filter((v) => v === 0).length).toBeGreaterThanOrEqual(zerosExpected);
    mask.dispose();
    model.dispose();
  });

  it('distils from a teacher and still learns', () => {
    const teacher = buildReferenceCnn(data.inputShape, data.numClasses, 9);
    trainModel(teacher, data, config);
    const student = buildReferenceCnn(data.inputShape, data.numClasses, 10);
    const before = tf.memory().numTensors;
    const result = trainModel(student, data, { ...config, distill: { teacher, alpha: 0.7, temperature: 4 } });
    expect(result.testAccuracy).toBeGreaterThan(0.9);
    expect(tf.memory().numTensors).toBe(before);
    expect(() => trainModel(student, data, { ...config, distill: { teacher, alpha: 2, temperature: 4 } })).toThrow(/distill.alpha/);
    teacher.dispose();
    student.dispose();
  });
});
