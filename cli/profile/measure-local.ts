/**
 * `hwnas profile measure`: times real tfjs inference of models sampled from a space on
 * this machine, checks by two-fold cross-validation how well a profile fitted on half of
 * them predicts the other half, and fits the `local` profile on all of them, so searches
 * can budget latency for the machine they run on.
 */
import { availableParallelism, cpus, totalmem } from 'node:os';
import { UserError } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';
import { resolveBackend } from '../../evaluators/backend.js';
import { MEASUREMENT_METHOD, measureLatenciesMs } from '../../evaluators/measure-latency.js';
import { calibrateProfile, measurementsNeeded, type Measurement } from '../../hardware-profiles/calibrate.js';
import { genericProfile } from '../../hardware-profiles/generic.js';
import { agreement, type Agreement } from '../../hardware-profiles/metrics.js';
import type { Profile } from '../../hardware-profiles/profile.js';
import { createCostModel } from '../../hardware-profiles/roofline.js';
import { sample } from '../../spaces/operators.js';
import { resolveSpace } from '../../spaces/space-file.js';

/**
 * How tfjs runs a network: every layer as written (no folding, no fusion of separate layers), so
 * these rules are facts, not fitted. tfjs-layers' own decomposition (tfjs-layers activations.js,
 * backend/tfjs_backend.js): relu6 is relu + minimum, hard sigmoid mul + add + clip, hswish
 * (build-model.ts) hard sigmoid + multiply; conv and dense kernels fuse relu, relu6 and sigmoid only.
 */
export const TFJS_GRAPH_RULES = {
  folding: 'none', zeros: 'kernel', fusion: 'never', activationKernels: { relu6: 2, hsigmoid: 3, hswish: 4 }, fusedActivations: ['relu', 'relu6', 'sigmoid'],
} as const satisfies NonNullable<Parameters<typeof genericProfile>[0]['native']>;

export interface LocalMeasurement { profile: Profile; fit: number; check: Agreement; backend: string; models: number }

/**
 * The spaces `hwnas profile measure` samples by default: between them every layer kind a
 * search meets runs at sizes that pin its figures down (in mobile-cnn alone, dense is only
 * a small classifier, so an MLP's big dense layers were extrapolated from it).
 */
export const DEFAULT_MEASURE_SPACES = ['mobile-cnn', 'tiny-cnn', 'mlp'];

export async function measureLocal(options: { spaces: string[]; models: number; seed: number; backend?: string; say: (line: string) => void }): Promise<LocalMeasurement> {
  const backend = await resolveBackend(options.backend === undefined ? {} : { backend: options.backend });
  const spaces = options.spaces.map((name) => resolveSpace(name));
  const rng = new Rng(options.seed);
  const shape = { inputShape: [32, 32, 3] as [number, number, number], numClasses: 10 };
  // Round-robin over the spaces, so each half of the cross-validation has models of every one.
  const specs = Array.from({ length: options.models }, (_, i) => { const space = spaces[i % spaces.length]!; return space.toSpec(sample(space.definition, rng), shape); });
  const names = options.spaces.join('/');
  const base = genericProfile({
    id: 'local', name: `this machine (${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${availableParallelism()} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB)`,
    runtime: `tfjs ${backend.name} backend, batch 1`,
    native: TFJS_GRAPH_RULES,
    sources: [`measured by hwnas profile measure: ${options.models} ${names} models, ${MEASUREMENT_METHOD}, after warm-up`],
  });
  const half = Math.ceil(specs.length / 2);
  const halves = [specs.slice(0, half), specs.slice(half)];
  // Refused before timing: a minute of timing should not end in "too few".
  const needed = Math.max(...halves.map((h) => measurementsNeeded(base, h, { searchRules: false })));
  if (halves.some((h) => h.length < needed)) {
    throw new UserError(`${options.models} models are too few: each half of the cross-validation fits ${needed} parameters`, `use --models ${2 * needed} or more`);
  }
  options.say(`timing ${options.models} ${names} models (${MEASUREMENT_METHOD})...`);
  const latencies = measureLatenciesMs(specs);
  const measured: Measurement[] = specs.map((spec, i) => ({ spec, latencyMs: latencies[i]! }));
  measured.forEach((m, i) => options.say(`  model ${String(i + 1).padStart(3)}/${options.models}: ${m.latencyMs.toFixed(3)} ms`));
  // Two-fold cross-validation: every model is predicted by a profile fitted on the other half.
  const folds = [[measured.slice(0, half), measured.slice(half)], [measured.slice(half), measured.slice(0, half)]] as const;
  const predicted: number[] = [], actual: number[] = [];
  for (const [train, test] of folds) {
    const model = createCostModel(calibrateProfile(base, train, 'local', { searchRules: false }).profile);
    for (const m of test) { predicted.push(model.estimate(m.spec).latencyMs); actual.push(m.latencyMs); }
  }
  const check = agreement(predicted, actual);
  // The profile written is fitted on everything; the check above is on models it had not seen.
  const final = calibrateProfile(base, measured, 'local', { searchRules: false });
  return { profile: final.profile, fit: final.trainingMape, check, backend: backend.name, models: measured.length };
}
