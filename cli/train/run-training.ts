/**
 * The work behind `hwnas train`, apart from argument parsing: resolve the backend, load
 * the data, build, train with a progress bar, report, optionally save.
 */
import { UserError } from '../../core/errors.js';
import { ProgressLine } from '../../core/progress-bar.js';
import { resolveBackend } from '../../evaluators/backend.js';
import { buildModel } from '../../evaluators/build-model.js';
import { loadDataset } from '../../evaluators/data/index.js';
import { saveModelToDir } from '../../evaluators/model-io.js';
import { buildReferenceCnn } from '../../evaluators/models/reference-cnn.js';
import type { OptimizerName } from '../../evaluators/training/optimizer.js';
import { scheduleNamed, type LrSchedule } from '../../evaluators/training/schedule.js';
import { trainModel, type TrainResult } from '../../evaluators/training/train.js';
import { formatEpochs } from '../../search/fidelity.js';
import { fromArchString } from '../../spaces/nb201.js';
import { compressionPlan } from '../../spaces/compression-genes.js';
import type { BuiltinSpace } from '../../spaces/builtin.js';
import { resolveSpace } from '../../spaces/space-file.js';
import type { Genotype } from '../../spaces/space.js';
import { checkGenotype } from '../../spaces/validate.js';

export interface TrainingRequest {
  dataset: string; dataDir?: string; space?: string; genotype?: string; preset?: string;
  epochs: number; batchSize: number; learningRate: number; optimizer: OptimizerName; schedule: LrSchedule['kind'];
  trainFraction: number; validationSize?: number; seed: number; backend?: string; saveDir?: string; json: boolean;
}

function parseGenotype(space: BuiltinSpace, spaceName: string, raw: string | undefined, preset: string | undefined): Genotype {
  let genotype: Genotype;
  if (preset !== undefined) {
    const found = space.presets?.[preset];
    if (found === undefined) throw new UserError(`space '${spaceName}' has no preset '${preset}'`, `presets: ${Object.keys(space.presets ?? {}).join(', ') || 'none'}`);
    genotype = found;
  } else if (raw === undefined) {
    throw new UserError(`--space ${spaceName} needs --genotype JSON or --preset NAME`);
  } else if (spaceName === 'nb201' && raw.trim().startsWith('|')) {
    try { genotype = fromArchString(raw); } catch (error) { throw new UserError((error as Error).message); }
  } else {
    try { genotype = JSON.parse(raw) as Genotype; } catch (error) { throw new UserError(`--genotype is not valid JSON: ${(error as Error).message}`); }
  }
  const problem = checkGenotype(space.definition, genotype);
  if (problem !== null) throw new UserError(`--genotype: ${problem}`);
  return genotype;
}

const pct = (x: number) => `${(100 * x).toFixed(2)}%`;

export async function runTraining(request: TrainingRequest): Promise<TrainResult> {
  // A space file is read once: its genotype is checked against, and its model built from, the same space.
  const space = request.space === undefined ? undefined : resolveSpace(request.space);
  const genotype = space === undefined ? undefined : parseGenotype(space, request.space!, request.genotype, request.preset);
  const backend = await resolveBackend(request.backend === undefined ? {} : { backend: request.backend });
  const dataset = await loadDataset(request.dataset, {
    ...(request.dataDir !== undefined ? { dataDir: request.dataDir } : {}),
    ...(request.validationSize !== undefined ? { validationSize: request.validationSize } : {}),
    seed: request.seed,
  });
  // A space file is named by the space it declares (and the file it came from).
  const spaceName = space === undefined ? '' : space.definition.name === request.space ? request.space : `${space.definition.name} (${request.space})`;
  const modelName = space === undefined ? 'reference-cnn' : `${spaceName}${request.preset ? ` (${request.preset})` : ''}`;
  const model = genotype === undefined || space === undefined
    ? buildReferenceCnn(dataset.inputShape, dataset.numClasses, request.seed)
    : buildModel(space.toSpec(genotype, dataset), request.seed);
  const log = (line: string) => { if (!request.json) process.stdout.write(`${line}\n`); };
  if (genotype !== undefined) {
    // The spec already has pruned channels and low rank; the weight-level steps run in a search's compression pipeline.
    const p = compressionPlan(genotype);
    const skipped = [p.sparsity > 0 ? `${Math.round(100 * p.sparsity)}% sparsity` : '', p.weightBits < 32 ? `${p.weightBits}-bit weights` : '', p.clusters > 0 ? `${p.clusters}-centroid clustering` : '',
      p.distillAlpha > 0 ? 'distillation' : '', p.huffman ? 'Huffman coding' : ''].filter(Boolean);
    if (skipped.length > 0) log(`note: train trains the architecture (pruned channels and low rank included); the genotype's ${skipped.join(', ')} apply in hwnas search, and hwnas export writes that compressed model`);
  }
  log(`training ${modelName} (${model.countParams().toLocaleString('en')} parameters) on ${dataset.name}: `
    + `${dataset.train.count} train / ${dataset.validation.count} validation / ${dataset.test.count} test images, ${backend.name} backend`);

  const progress = new ProgressLine();
  const started = performance.now();
  // A fractional budget's last epoch is partial: "epoch 2/1.5" says so, "epoch 2/2" did not.
  const totalEpochs = formatEpochs(request.epochs);
  let result: TrainResult;
  try {
    result = trainModel(model, dataset, {
      budget: { epochs: request.epochs, batchSize: request.batchSize, trainFraction: request.trainFraction },
      optimizer: { name: request.optimizer, learningRate: request.learningRate },
      schedule: scheduleNamed(request.schedule, request.epochs),
      seed: request.seed,
    }, {
      onBatch: (p) => progress.update({
        label: `epoch ${p.epoch + 1}/${totalEpochs}`, done: p.batch + 1, total: p.batches,
        elapsedSeconds: (performance.now() - started) / 1000, detail: `loss ${p.loss.toFixed(4)}`,
      }),
      onEpoch: (e) => {
        progress.finish();
        log(`epoch ${e.epoch}/${totalEpochs}  loss ${e.trainLoss.toFixed(4)}  train ${pct(e.trainAccuracy)}  `
          + `validation ${Number.isNaN(e.validationAccuracy) ? 'n/a' : pct(e.validationAccuracy)}  ${e.imagesPerSecond.toFixed(0)} img/s  ${e.seconds.toFixed(1)} s`);
      },
    });
  } finally {
    progress.finish();
  }
  if (result.status === 'diverged') log(`diverged: ${result.reason ?? ''}`);
  else log(`test accuracy ${pct(result.testAccuracy)} (best epoch ${result.bestEpoch}, validation `
    + `${Number.isNaN(result.validationAccuracy) ? 'n/a' : pct(result.validationAccuracy)}) in ${result.wallSeconds.toFixed(1)} s`);
  if (request.saveDir !== undefined && result.status !== 'diverged') {
    const saved = await saveModelToDir(model, request.saveDir, '--save');
    log(`saved ${saved.modelJson} (+ weights.bin, ${saved.weightsBytes.toLocaleString('en')} bytes): load it with tf.loadLayersModel`);
  }
  model.dispose();
  if (request.json) {
    process.stdout.write(`${JSON.stringify({
      model: modelName, dataset: dataset.name, backend: backend.name, status: result.status, reason: result.reason,
      testAccuracy: result.testAccuracy, validationAccuracy: result.validationAccuracy, bestEpoch: result.bestEpoch,
      epochs: result.epochs, seconds: result.wallSeconds, trainImagesPerSecond: result.trainImagesPerSecond,
    })}\n`);
  }
  return result;
}
