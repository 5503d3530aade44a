/**
 * Trains and measures one candidate: genotype -> spec -> tfjs model -> trained ->
 * accuracy, size and work. Never throws for a trial-level failure (an invalid genotype,
 * a diverging loss): those come back as `{state: 'failed'}` with the reason.
 */
import { errorMessage } from '../core/errors.js';
import type { Json } from '../core/json.js';
import { analyzeSpec, specTotals } from '../spaces/analyze.js';
import type { BuiltinSpace } from '../spaces/builtin.js';
import { BUILTIN_SPACES } from '../spaces/registry.js';
import { spaceFromFile } from '../spaces/space-file.js';
import { summarizeSpec } from '../spaces/summary.js';
import { checkGenotype } from '../spaces/validate.js';
import { resolveBackend } from './backend.js';
import { buildModel } from './build-model.js';
import type { EvalRequest, EvalResult } from './protocol.js';
import { trainModel } from './training/train.js';

function spaceOf(space: string | Json): BuiltinSpace {
  if (typeof space === 'string') {
    const builtin = BUILTIN_SPACES[space];
    if (builtin === undefined) throw new Error(`unknown space '${space}'`);
    return builtin;
  }
  return spaceFromFile(space);
}

export async function evaluateTrial(request: EvalRequest): Promise<EvalResult> {
  if (request.fault === 'throw') throw new Error('injected worker fault');
  if (request.fault === 'exit') process.exit(7);
  const backend = await resolveBackend(request.backend === undefined ? {} : { backend: request.backend });
  const space = spaceOf(request.space);
  const problem = checkGenotype(space.definition, request.trial.genotype);
  if (problem !== null) return { state: 'failed', kind: 'invalid', reason: `invalid genotype: ${problem}`, epochs: [] };
  let spec;
  try {
    spec = space.toSpec(request.trial.genotype, request.dataset);
    analyzeSpec(spec);
  } catch (error) {
    return { state: 'failed', kind: 'invalid', reason: `cannot build: ${errorMessage(error)}`, epochs: [] };
  }
  const model = buildModel(spec, request.trial.seed);
  try {
    // The 'diverge' fault trains with an absurd SGD step so the loss really turns NaN.
    const t = request.fault === 'diverge' ? { ...request.training, optimizer: 'sgd' as const, learningRate: 1e30 } : request.training;
    const result = trainModel(model, request.dataset, {
      budget: { epochs: request.trial.epochs, batchSize: t.batchSize, trainFraction: request.trial.trainFraction },
      optimizer: { name: t.optimizer, learningRate: t.learningRate },
      schedule: { kind: t.schedule } as never,
      seed: request.trial.seed,
    });
    if (result.status === 'diverged') return { state: 'failed', kind: 'diverged', reason: result.reason ?? 'diverged', epochs: result.epochs };
    const layers = summarizeSpec(spec);
    const totals = specTotals(analyzeSpec(spec));
    return {
      state: 'complete', epochs: result.epochs, layers,
      metrics: {
        accuracy: result.testAccuracy, valAccuracy: result.validationAccuracy, params: totals.params, macs: totals.macs,
        sizeBytes: layers.reduce((s, r) => s + r.bytes, 0), trainSeconds: result.trainSeconds,
        imagesPerSecond: result.trainImagesPerSecond, backend: backend.name,
      },
    };
  } finally {
    model.dispose();
  }
}
