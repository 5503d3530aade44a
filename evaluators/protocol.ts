/**
 * What crosses the worker-thread boundary: plain JSON (plus the dataset, whose typed
 * arrays sit on SharedArrayBuffers and are shared, not copied).
 */
import type { Json } from '../core/json.js';
import type { Dataset } from './data/dataset.js';
import type { EpochRecord } from './training/train.js';
import type { LayerRow } from '../spaces/summary.js';
import type { StageReport } from './pipeline/compress-model.js';
import type { Genotype } from '../spaces/space.js';
import type { TabularSettings } from './tabular/evaluate-tabular.js';

export interface TrainingSettings {
  batchSize: number;
  learningRate: number;
  optimizer: 'adam' | 'sgd' | 'momentum' | 'rmsprop';
  schedule: 'constant' | 'cosine' | 'step' | 'exponential';
  /** Epochs of each compression fine-tuning pass (default: half the trial's epochs). */
  fineTuneEpochs?: number;
  /** A tfjs model directory (model.json) to distill from instead of the uncompressed candidate. */
  teacherDir?: string;
}

export interface EvalRequest {
  trial: { number: number; seed: number; genotype: Genotype; epochs: number; trainFraction: number };
  /** A built-in space name, or the JSON of a space file. */
  space: string | Json;
  dataset: Dataset;
  training: TrainingSettings;
  backend?: string;
  /** Answer by table lookup instead of training (`--evaluator tabular`); `dataset` then carries only the shape. */
  tabular?: TabularSettings;
  /** Test hooks: make this trial's worker crash or throw (used by the failure tests). */
  fault?: 'throw' | 'exit' | 'diverge';
}

export interface TrialMetrics {
  /**
   * Test and validation accuracy of the model as stored (after compression); with integer
   * activations, as `activations` quantizes them (the ranges are in the artifact too).
   */
  accuracy: number;
  valAccuracy: number;
  /** Test accuracy of the uncompressed model before compression. */
  baselineAccuracy: number;
  fp32Bytes: number;
  nonzeros: number;
  effectiveMacs: number;
  /** The compression pipeline's stages (plain JSON StageReport objects). */
  stages: StageReport[];
  bestEpoch: number;
  params: number;
  macs: number;
  sizeBytes: number;
  trainSeconds: number;
  imagesPerSecond: number;
  backend: string;
  /** Integer activations: their width and per-node calibrated ranges. */
  activations?: { bits: number; ranges: Record<string, [number, number]> };
}

export type EvalResult =
  | { state: 'complete'; metrics: TrialMetrics; epochs: EpochRecord[]; layers: LayerRow[]; /** The compressed model file, base64; empty when there is none (table lookups). */ artifact: string }
  | { state: 'failed'; reason: string; kind: 'diverged' | 'invalid' | 'crashed' | 'timeout'; epochs: EpochRecord[] };
