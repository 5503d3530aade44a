/**
 * The compression pipeline: applies a genotype's compression genes to a trained model in
 * a sound order and measures every stage.
 *
 *   structure  channel pruning (L1 surgery) and low-rank factorization (truncated SVD)
 *   prune      magnitude pruning on TF-MOT's polynomial schedule while fine-tuning
 *              (one fine-tune also heals the structural surgery)
 *   quantize   k-means weight sharing with centroid fine-tuning, or integer/float16
 *              quantization: post-training, or quantization-aware fine-tuning (STE)
 *   encode     the artifact is written (sparse relative indices, bit-packed codes,
 *              optionally Huffman) and its bytes are the stored size
 *   activations  integer activations, simulated with calibrated fake quantization; the
 *              accuracy reported last is the one the deployed integer model would have
 *
 * Fine-tuning distills from the uncompressed model when the genotype asks for it (or from
 * a teacher given by the caller). Masks and grids are re-applied after every step, so the
 * final weights are exactly as sparse and as quantized as the plan says.
 */
import * as tf from '@tensorflow/tfjs';
import { analyzeSpec, specTotals } from '../../spaces/analyze.js';
import type { CompressionPlan } from '../../spaces/compression-genes.js';
import type { ModelSpec } from '../../spaces/model-spec.js';
import { writeArtifact, type Artifact, type EncodingPlan } from '../artifact/artifact.js';
import { buildModel } from '../build-model.js';
import { clusterWeights } from '../compress/cluster.js';
import { applyMask, layerSparsities, magnitudeMask, polynomialSparsity, type SparsityAllocation } from '../compress/magnitude-prune.js';
import { channelShape, quantizeWeights } from '../compress/quantize.js';
import type { TensorEncoding } from '../compress/tensor-codec.js';
import { evaluateSplit } from '../training/evaluate.js';
import type { OptimizerConfig } from '../training/optimizer.js';
import type { LrSchedule } from '../training/schedule.js';
import { trainModel, type BatchProgress, type EpochRecord, type TrainData } from '../training/train.js';
import { evaluateQuantizedActivations } from './activation-quant.js';
import { channelSurgery } from './structure.js';
import { ShadowWeights, WEIGHT_LAYER_CLASSES, type KernelTransform } from './weight-transforms.js';

export interface FineTuning {
  /** Epochs of each fine-tuning pass (fractional allowed). */
  epochs: number;
  trainFraction?: number;
  batchSize: number;
  optimizer: OptimizerConfig;
  schedule: LrSchedule;
  seed: number;
}

export interface CompressionInput {
  /** The trained, uncompressed model (left untouched; it is the default teacher). */
  trained: tf.LayersModel;
  /** Its spec, and the specs with channel pruning only and with all structural compression. */
  baseSpec: ModelSpec;
  prunedSpec: ModelSpec;
  targetSpec: ModelSpec;
  plan: CompressionPlan;
  data: TrainData;
  fineTune: FineTuning;
  /** How the sparsity is spread over layers (default 'erk'). */
  allocation?: SparsityAllocation;
  /** A teacher other than the uncompressed model (e.g. a tfjs model from disk). */
  teacher?: tf.LayersModel;
  shouldStop?: () => boolean;
  /** Fine-tuning batches, for progress reports (every fine-tuning pass counts its epochs from 1). */
  onBatch?: (progress: BatchProgress) => void;
}

export interface StageReport {
  stage: 'trained' | 'structure' | 'prune' | 'quantize' | 'encode' | 'activations';
  /** What the stage did, e.g. "90% sparsity" or "int8 per-channel, QAT". */
  detail: string;
  /** Test accuracy right after the stage's transform, before its fine-tuning (if any). */
  accuracyBeforeFineTune?: number;
  accuracy: number;
  valAccuracy: number;
  params: number;
  nonzeros: number;
  macs: number;
  effectiveMacs: number;
  storedBytes: number;
  seconds: number;
}

export interface CompressionResult {
  status: 'complete' | 'diverged' | 'stopped';
  reason?: string;
  /** The compressed model (owned by the caller). */
  model: tf.LayersModel;
  spec: ModelSpec;
  artifact: Artifact;
  stages: StageReport[];
  fp32Bytes: number;
  encodings: EncodingPlan;
  fineTuneEpochs: EpochRecord[];
  /** Calibrated activation ranges per node, when activations are quantized. */
  activationRanges?: Record<string, [number, number]>;
}

function kernelsOf(model: tf.LayersModel): Array<{ name: string; values: Float32Array; shape: number[]; channelShape: number[] }> {
  return model.layers.filter((l) => WEIGHT_LAYER_CLASSES.has(l.getClassName()) && l.trainable).map((l) => {
    const w = l.getWeights()[0]!;
    return { name: l.name, values: w.dataSync() as Float32Array, shape: w.shape, channelShape: channelShape(w.shape, l.getClassName()) };
  });
}

/** Nonzero and effective-MAC counts of the model as it is (zero weights skip their MACs). */
function measure(model: tf.LayersModel, spec: ModelSpec): { params: number; nonzeros: number; macs: number; effectiveMacs: number } {
  const analysis = analyzeSpec(spec);
  const totals = specTotals(analysis);
  let nonzeros = 0, effectiveMacs = 0;
  for (const a of analysis) {
    const layer = model.getLayer(a.name);
    const weights = layer.getWeights();
    let nz = 0, size = 0;
    weights.forEach((w, i) => {
      const v = w.dataSync();
      let count = 0;
      for (let k = 0; k < v.length; k++) if (v[k] !== 0) count++;
      nonzeros += count;
      if (i === 0) { nz = count; size = v.length; }
    });
    effectiveMacs += size > 0 && a.macs > 0 ? a.macs * nz / size : a.macs;
  }
  return { params: totals.params, nonzeros, macs: totals.macs, effectiveMacs: Math.round(effectiveMacs) };
}

/** A fresh copy of a model (same spec, same weights), so the teacher survives in-place stages. */
export function cloneModel(model: tf.LayersModel, spec: ModelSpec): tf.LayersModel {
  const copy = buildModel(spec, 0);
  const weights = model.getWeights();
  copy.setWeights(weights);
  return copy;
}

export function float32Encodings(model: tf.LayersModel): EncodingPlan {
  return new Map(kernelsOf(model).map((k) => [k.name, { kind: 'float32', indexBits: 0, huffman: false } satisfies TensorEncoding]));
}

export function compressModel(input: CompressionInput): CompressionResult {
  const { plan, data, fineTune } = input;
  const stages: StageReport[] = [];
  const fineTuneEpochs: EpochRecord[] = [];
  let status: CompressionResult['status'] = 'complete';
  let reason: string | undefined;
  let spec = input.baseSpec;
  let model = cloneModel(input.trained, spec);
  let encodings = float32Encodings(model);
  const teacher = input.teacher ?? input.trained;
  /** Per kernel, the weights pruning keeps (1) and zeroes (0). */
  const masks = new Map<string, Uint8Array>();
  let activationRanges: Record<string, [number, number]> | undefined;
  const sparse = plan.sparsity > 0;
  // Per-layer weight bits as the spec records them (per-stage genes give mixed precision).
  const bitsOfLayer = (layer: string): number => spec.nodes.find((n) => n.name === layer)?.compression?.weightBits ?? plan.weightBits;

  const evaluate = (m: tf.LayersModel) => ({
    test: evaluateSplit(m, data.test, data.inputShape, data.numClasses).accuracy,
    validation: evaluateSplit(m, data.validation, data.inputShape, data.numClasses).accuracy,
  });
  const record = (stage: StageReport['stage'], detail: string, started: number, before?: number) => {
    const { test, validation } = evaluate(model);
    const bytes = writeArtifact(model, spec, encodings).weightBytes;
    stages.push({ stage, detail, ...(before !== undefined ? { accuracyBeforeFineTune: before } : {}), accuracy: test, valAccuracy: validation,
      ...measure(model, spec), storedBytes: bytes, seconds: (performance.now() - started) / 1000 });
  };
  /** Fine-tunes under a weight transform; false when the loss diverged or the caller stopped. */
  const fineTuneUnder = (transform: KernelTransform | null, shadows: ShadowWeights | null): boolean => {
    const steps = Math.max(1, Math.ceil(fineTune.epochs * (fineTune.trainFraction ?? 1) * data.train.count / fineTune.batchSize));
    const result = trainModel(model, data, {
      budget: { epochs: fineTune.epochs, batchSize: fineTune.batchSize, trainFraction: fineTune.trainFraction ?? 1 },
      optimizer: fineTune.optimizer, schedule: fineTune.schedule, seed: fineTune.seed,
      // The last epoch is the one at the final sparsity and grid: never roll back to an earlier one.
      keepBestWeights: false, evaluateTest: false,
      ...(plan.distillAlpha > 0 ? { distill: { teacher, alpha: plan.distillAlpha, temperature: plan.distillTemperature } } : {}),
    }, {
      ...(transform !== null && shadows !== null ? { afterStep: (_m: tf.LayersModel, step: number) => shadows.step(transform, step / steps, (layer) => masks.get(layer)) } : {}),
      ...(input.shouldStop ? { shouldStop: input.shouldStop } : {}),
      ...(input.onBatch ? { onBatch: input.onBatch } : {}),
    });
    fineTuneEpochs.push(...result.epochs);
    if (result.status !== 'complete') { status = result.status; reason = result.reason ?? result.status; }
    return result.status === 'complete';
  };

  let started = performance.now();
  record('trained', 'float32, as trained', started);

  // Stage 1: structure.
  const structural = plan.channelPruning > 0 || plan.lowRank < 1;
  if (structural) {
    started = performance.now();
    const next = channelSurgery(model, input.baseSpec, input.prunedSpec, input.targetSpec);
    model.dispose();
    model = next;
    spec = input.targetSpec;
    encodings = float32Encodings(model);
    const parts = [plan.channelPruning > 0 ? `${Math.round(plan.channelPruning * 100)}% of channels removed (L1)` : '',
      plan.lowRank < 1 ? `rank x${plan.lowRank} (SVD)` : ''].filter(Boolean).join(', ');
    if (sparse) record('structure', parts, started);
    else {
      const before = evaluate(model).test;
      if (!fineTuneUnder(null, null)) return finish();
      record('structure', `${parts}, fine-tuned`, started, before);
    }
  }

  // Stage 2: unstructured magnitude pruning with the polynomial schedule.
  const maskTransform: KernelTransform = (shadow, _shape, layer) => {
    const mask = masks.get(layer);
    return mask === undefined ? shadow.slice() : applyMask(shadow, mask);
  };
  if (sparse) {
    started = performance.now();
    const shadows = new ShadowWeights(model);
    const schedule = { initialSparsity: 0, finalSparsity: plan.sparsity, beginStep: 0, endStep: 1 };
    const allocation = input.allocation ?? 'erk';
    const names = shadows.layers.map((k) => k.name);
    const perLayer = (overall: number) => new Map(layerSparsities(shadows.layers.map((k) => k.shape), overall, allocation).map((s, i) => [names[i]!, s]));
    const finalSparsities = perLayer(plan.sparsity);
    let rampSparsities = perLayer(0);
    let rampAt = 0;
    const maskSparsity = new Map<string, number>();
    const pruneStep: KernelTransform = (shadow, shape, layer, progress) => {
      // The ramp ends at 70% of fine-tuning and moves in 20 mask updates (TF-MOT prunes
      // every N steps, not every step), leaving the rest to recover at the final sparsity.
      const ramp = Math.min(1, Math.floor(progress / 0.7 * 20) / 20);
      if (ramp !== rampAt) { rampSparsities = perLayer(polynomialSparsity(ramp, schedule)); rampAt = ramp; }
      const target = rampSparsities.get(layer)!;
      if (maskSparsity.get(layer) !== target) {
        const mask = magnitudeMask(shadow, target);
        masks.set(layer, mask);
        maskSparsity.set(layer, target);
        // As TF-MOT's w * mask: a pruned weight is zero, so its stale pre-pruning magnitude cannot
        // win its place back from a fine-tuned weight at a later mask update (the shadow is the layer's).
        for (let i = 0; i < shadow.length; i++) if (mask[i] === 0) shadow[i] = 0;
      }
      return maskTransform(shadow, shape, layer, progress);
    };
    const finalMasks = () => { for (const k of shadows.layers) masks.set(k.name, magnitudeMask(k.shadow, finalSparsities.get(k.name)!)); };
    const before = (() => {
      finalMasks();
      shadows.applyAll(maskTransform, 1);
      const accuracy = evaluate(model).test;
      masks.clear();
      shadows.applyAll(maskTransform, 0);
      return accuracy;
    })();
    if (!fineTuneUnder(pruneStep, shadows)) return finish();
    // The masks fine-tuning ended with are the ones its weights recovered under: keep them. Only
    // a layer whose ramp a very short fine-tuning cut off still needs its final mask.
    for (const k of shadows.layers) {
      const final = finalSparsities.get(k.name)!;
      if (maskSparsity.get(k.name) !== final) masks.set(k.name, magnitudeMask(k.shadow, final));
    }
    shadows.applyAll(maskTransform, 1);
    encodings = new Map([...encodings].map(([name, e]) => [name, { ...e, indexBits: 4 }]));
    record('prune', `${Math.round(plan.sparsity * 100)}% magnitude sparsity (${allocation}), polynomial schedule`, started, before);
  } else {
    for (const k of kernelsOf(model)) masks.set(k.name, Uint8Array.from(k.values, (v) => (v !== 0 ? 1 : 0)));
  }

  // Stage 3: weight sharing or quantization (zeros stay zero: masks are re-applied first).
  if (plan.clusters > 0) {
    started = performance.now();
    const shadows = new ShadowWeights(model);
    const members = new Map<string, { assignment: Int32Array; k: number }>();
    for (const k of shadows.layers) {
      const { centroids, values } = clusterWeights(applyMask(k.shadow, masks.get(k.name)!), plan.clusters);
      const index = new Map<number, number>();
      centroids.forEach((c, i) => index.set(c, i));
      members.set(k.name, { assignment: Int32Array.from(values, (v) => (v === 0 ? -1 : index.get(v)!)), k: centroids.length });
    }
    // Deep Compression's centroid fine-tuning: members' updates are pooled into their centroid.
    const share: KernelTransform = (shadow, _shape, layer) => {
      const { assignment, k } = members.get(layer)!;
      const sum = new Float64Array(k), count = new Float64Array(k);
      for (let i = 0; i < assignment.length; i++) {
        const c = assignment[i]!;
        if (c >= 0) { sum[c]! += shadow[i]!; count[c]!++; }
      }
      const centroid = new Float32Array(k);
      for (let c = 0; c < k; c++) centroid[c] = sum[c]! / count[c]!;
      const out = new Float32Array(assignment.length);
      for (let i = 0; i < assignment.length; i++) { const c = assignment[i]!; if (c >= 0) out[i] = centroid[c]!; }
      return out;
    };
    shadows.applyAll(share, 0);
    const before = evaluate(model).test;
    if (!fineTuneUnder(share, shadows)) return finish();
    shadows.applyAll(share, 1);
    encodings = new Map(kernelsOf(model).map((k) => [k.name, { kind: 'codebook', codebook: codebookOf(k.values), indexBits: 4, huffman: false } satisfies TensorEncoding]));
    record('quantize', `k-means weight sharing, ${plan.clusters} centroids, centroids fine-tuned`, started, before);
  } else if (kernelsOf(model).some((k) => bitsOfLayer(k.name) < 32)) {
    started = performance.now();
    const shadows = new ShadowWeights(model);
    const granularity = plan.granularity;
    const scales = new Map<string, Float32Array>();
    const channelShapes = new Map(kernelsOf(model).map((k) => [k.name, k.channelShape]));
    const quantize: KernelTransform = (shadow, _shape, layer) => {
      const q = quantizeWeights(applyMask(shadow, masks.get(layer)!), channelShapes.get(layer)!, bitsOfLayer(layer), granularity);
      scales.set(layer, q.scales);
      return q.values;
    };
    shadows.applyAll(quantize, 0);
    const ptqAccuracy = evaluate(model).test;
    const qat = plan.quantMode === 'qat';
    if (qat) {
      if (!fineTuneUnder(quantize, shadows)) return finish();
      shadows.applyAll(quantize, 1);
    }
    encodings = new Map(kernelsOf(model).map((k) => {
      const bits = bitsOfLayer(k.name);
      const encoding: TensorEncoding = bits === 32 ? { kind: 'float32', indexBits: 4, huffman: false }
        : bits === 16 ? { kind: 'float16', indexBits: 4, huffman: false }
          : { kind: 'int', bits, scales: scales.get(k.name)!, indexBits: 4, huffman: false };
      return [k.name, encoding];
    }));
    const widths = [...new Set(kernelsOf(model).map((k) => bitsOfLayer(k.name)))].sort((a, b) => b - a);
    const name = widths.length > 1 ? `mixed ${widths.map((b) => (b >= 16 ? `fp${b}` : `int${b}`)).join('/')} ${granularity}`
      : widths[0] === 16 ? 'float16' : `int${widths[0]} ${granularity}`;
    record('quantize', `${name}, ${qat ? 'quantization-aware fine-tuning' : 'post-training'}`, started, qat ? ptqAccuracy : undefined);
  }

  // Stage 4: entropy coding.
  if (plan.huffman) {
    started = performance.now();
    encodings = new Map([...encodings].map(([name, e]) => [name, { ...e, huffman: true }]));
    // The codec Huffman-codes integer and codebook symbols (and their sparse indices), where that is smaller; float values stay fixed-width.
    const coded = [...encodings.values()].filter((e) => e.kind === 'int' || e.kind === 'codebook').length;
    record('encode', coded === encodings.size ? 'Huffman-coded values and indices'
      : coded === 0 ? 'Huffman coding asked for: no effect on float weights (they stay fixed-width)'
        : `Huffman-coded values and indices of ${coded} of ${encodings.size} layers (float ones stay fixed-width)`, started);
  }

  // Stage 5: integer activations (measured through fake quantization; weights unchanged).
  if (plan.activationBits < 32) {
    started = performance.now();
    const q = evaluateQuantizedActivations(model, spec, plan.activationBits, data);
    activationRanges = q.ranges;
    const last = { ...stages.at(-1)! };
    delete last.accuracyBeforeFineTune;
    stages.push({ ...last, stage: 'activations', detail: `int${plan.activationBits} activations, ranges calibrated on 512 training images`,
      accuracy: q.accuracy, valAccuracy: q.valAccuracy, seconds: (performance.now() - started) / 1000 });
  }
  return finish();

  function finish(): CompressionResult {
    const artifact = writeArtifact(model, spec, encodings, activationRanges === undefined ? undefined : { bits: plan.activationBits, ranges: activationRanges });
    const result: CompressionResult = { status, model, spec, artifact, stages, fp32Bytes: 4 * specTotals(analyzeSpec(input.baseSpec)).params, encodings, fineTuneEpochs };
    if (reason !== undefined) result.reason = reason;
    if (activationRanges !== undefined) result.activationRanges = activationRanges;
    return result;
  }
}

function codebookOf(values: Float32Array): Float32Array {
  return Float32Array.from(new Set(values.filter((v) => v !== 0))).sort();
}
