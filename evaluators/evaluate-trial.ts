/**
 * Trains and measures one candidate: genotype -> the uncompressed network -> trained ->
 * compressed as its genes say -> accuracy, stored size (of the artifact, written for real)
 * and work. Never throws for a trial-level failure (an invalid genotype, a diverging
 * loss): those come back as `{state: 'failed'}` with the reason.
 */
import type * as tf from '@tensorflow/tfjs';
import { errorMessage } from '../core/errors.js';
import { analyzeSpec, specTotals } from '../spaces/analyze.js';
import type { ModelSpec } from '../spaces/model-spec.js';
import { compressionPlan, structuralStages, type CompressionPlan } from '../spaces/compression-genes.js';
import { storedSpace } from '../spaces/space-file.js';
import { checkGenotype } from '../spaces/validate.js';
import { resolveBackend } from './backend.js';
import { buildModel } from './build-model.js';
import { compressModel, float32Encodings } from './pipeline/compress-model.js';
import { measuredLayers } from './pipeline/layer-table.js';
import { writeArtifact } from './artifact/artifact.js';
import { loadModelFromDir } from './model-io.js';
import { teacherProblem } from './teacher.js';
import type { EvalRequest, EvalResult } from './protocol.js';
import { batchReporter, type ProgressSink } from './progress.js';
import { evaluateTabular } from './tabular/evaluate-tabular.js';
import { trainModel } from './training/train.js';
import { scheduleNamed } from './training/schedule.js';

/** Teachers loaded once per worker: every trial of a run distills from the same model. */
const teachers = new Map<string, Promise<tf.LayersModel>>();

async function teacherFrom(dir: string, inputShape: readonly number[], numClasses: number): Promise<tf.LayersModel> {
  if (!teachers.has(dir)) teachers.set(dir, loadModelFromDir(dir));
  const teacher = await teachers.get(dir)!;
  const problem = teacherProblem(teacher, inputShape, numClasses);
  if (problem !== null) throw new Error(`teacher ${dir} ${problem}`);
  return teacher;
}

/** Distillation alone changes nothing without a compressed student to teach; per-stage bits live in the spec. */
function compresses(plan: CompressionPlan, target: ModelSpec): boolean {
  return plan.sparsity > 0 || plan.channelPruning > 0 || plan.lowRank < 1 || plan.weightBits < 32 || plan.clusters > 0 || plan.huffman
    || plan.activationBits < 32 || target.nodes.some((n) => (n.compression?.weightBits ?? 32) < 32);
}

/** `onProgress` receives a few reports a second while the trial trains (the dashboard's workers view). */
export async function evaluateTrial(request: EvalRequest, onProgress?: ProgressSink): Promise<EvalResult> {
  if (request.fault === 'throw') throw new Error('injected worker fault');
  if (request.fault === 'exit') process.exit(7);
  if (request.tabular !== undefined) return evaluateTabular(request, request.tabular, storedSpace(request.space));
  const backend = await resolveBackend(request.backend === undefined ? {} : { backend: request.backend });
  const space = storedSpace(request.space);
  const genotype = request.trial.genotype;
  const problem = checkGenotype(space.definition, genotype);
  if (problem !== null) return { state: 'failed', kind: 'invalid', reason: `invalid genotype: ${problem}`, epochs: [] };
  const plan = compressionPlan(genotype);
  const stages = structuralStages(genotype);
  let specs;
  try {
    specs = { base: space.toSpec(stages.base, request.dataset), pruned: space.toSpec(stages.pruned, request.dataset), target: space.toSpec(genotype, request.dataset) };
    analyzeSpec(specs.target);
  } catch (error) {
    return { state: 'failed', kind: 'invalid', reason: `cannot build: ${errorMessage(error)}`, epochs: [] };
  }
  const model = buildModel(specs.base, request.trial.seed);
  try {
    // The 'diverge' fault trains with an absurd SGD step so the loss really turns NaN.
    const t = request.fault === 'diverge' ? { ...request.training, optimizer: 'sgd' as const, learningRate: 1e30 } : request.training;
    const trained = trainModel(model, request.dataset, {
      budget: { epochs: request.trial.epochs, batchSize: t.batchSize, trainFraction: request.trial.trainFraction },
      optimizer: { name: t.optimizer, learningRate: t.learningRate },
      schedule: scheduleNamed(t.schedule, request.trial.epochs),
      seed: request.trial.seed,
    }, onProgress === undefined ? {} : { onBatch: batchReporter(onProgress, 'training', request.trial.epochs) });
    if (trained.status === 'diverged') return { state: 'failed', kind: 'diverged', reason: trained.reason ?? 'diverged', epochs: trained.epochs };
    const teacher = t.teacherDir !== undefined && plan.distillAlpha > 0 && compresses(plan, specs.target) ? await teacherFrom(t.teacherDir, request.dataset.inputShape, request.dataset.numClasses) : undefined;
    const fineTuneEpochs = t.fineTuneEpochs ?? request.trial.epochs / 2;
    const compressed = compresses(plan, specs.target) ? compressModel({
      ...(onProgress === undefined ? {} : { onBatch: batchReporter(onProgress, 'fine-tuning', fineTuneEpochs) }),
      trained: model, baseSpec: specs.base, ...(teacher !== undefined ? { teacher } : {}), prunedSpec: specs.pruned, targetSpec: specs.target, plan, data: request.dataset,
      fineTune: {
        epochs: fineTuneEpochs, trainFraction: request.trial.trainFraction, batchSize: t.batchSize,
        // Fine-tuning starts from a good point: a quarter of the training rate, annealed.
        optimizer: { name: t.optimizer, learningRate: t.learningRate / 4 }, schedule: { kind: 'cosine' }, seed: request.trial.seed + 1,
      },
    }) : null;
    try {
      if (compressed !== null && compressed.status !== 'complete') {
        return { state: 'failed', kind: 'diverged', reason: `compression fine-tuning: ${compressed.reason ?? compressed.status}`, epochs: [...trained.epochs, ...compressed.fineTuneEpochs] };
      }
      const final = compressed ?? (() => {
        const encodings = float32Encodings(model);
        return { model, spec: specs.base, encodings, artifact: writeArtifact(model, specs.base, encodings), stages: [], fp32Bytes: 0 };
      })();
      const layers = measuredLayers(final.model, final.spec, final.artifact, final.encodings);
      const last = compressed?.stages.at(-1);
      const totals = specTotals(analyzeSpec(final.spec));
      return {
        state: 'complete', epochs: trained.epochs, layers, artifact: Buffer.from(final.artifact.bytes).toString('base64'),
        metrics: {
          accuracy: last?.accuracy ?? trained.testAccuracy, valAccuracy: last?.valAccuracy ?? trained.validationAccuracy,
          baselineAccuracy: trained.testAccuracy, fp32Bytes: 4 * specTotals(analyzeSpec(specs.base)).params,
          params: totals.params, macs: totals.macs,
          nonzeros: layers.reduce((a, r) => a + r.nonzeros, 0), effectiveMacs: last?.effectiveMacs ?? totals.macs,
          sizeBytes: final.artifact.weightBytes, stages: compressed?.stages ?? [], bestEpoch: trained.bestEpoch,
          trainSeconds: trained.trainSeconds, imagesPerSecond: trained.trainImagesPerSecond, backend: backend.name,
          ...(compressed?.activationRanges !== undefined ? { activations: { bits: plan.activationBits, ranges: compressed.activationRanges } } : {}),
        },
      };
    } finally {
      compressed?.model.dispose();
    }
  } finally {
    model.dispose();
  }
}
