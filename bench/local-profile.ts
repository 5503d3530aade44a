/**
 * npm run bench:local-profile [-- --json] [--models 80] [--check 40] [--seed 1]
 *
 * Fits the `local` profile on real tfjs (wasm) latencies of --models sampled mobile-cnn
 * models, as `hwnas profile measure` does, then measures --check other sampled models and
 * reports how well the profile predicts them (Spearman target >= 0.9 on 40 candidates).
 */
import { measureLocal } from '../cli/profile/measure-local.js';
import { Rng } from '../core/rng.js';
import { measureLatenciesMs } from '../evaluators/measure-latency.js';
import { agreement } from '../hardware-profiles/metrics.js';
import { createCostModel } from '../hardware-profiles/roofline.js';
import { sample } from '../spaces/operators.js';
import { getBuiltinSpace } from '../spaces/registry.js';
import { benchArgs } from './args.js';

const values = benchArgs('npm run bench:local-profile [-- --json] [--models 80] [--check 40] [--seed 1]', { json: { type: 'boolean', default: false }, models: { type: 'string', default: '80' }, check: { type: 'string', default: '40' }, seed: { type: 'string', default: '1' } });
const result = await measureLocal({ spaces: ['mobile-cnn'], models: Number(values.models), seed: Number(values.seed), backend: 'wasm', say: () => {} });
const model = createCostModel(result.profile);
const space = getBuiltinSpace('mobile-cnn');
const rng = new Rng(Number(values.seed) + 1000);
const specs = Array.from({ length: Number(values.check) }, () => space.toSpec(sample(space.definition, rng), { inputShape: [32, 32, 3], numClasses: 10 }));
const measured = measureLatenciesMs(specs);
const predicted = specs.map((spec) => model.estimate(spec).latencyMs);
const c = agreement(predicted, measured);
console.log(`local profile (${result.backend}) fitted on ${result.models} mobile-cnn models (cross-validated Spearman ${result.check.spearman.toFixed(3)}); `
  + `on ${c.n} new models: Spearman ${c.spearman.toFixed(3)}, Kendall tau ${c.kendallTau.toFixed(3)}, MAPE ${(100 * c.mape).toFixed(1)}%, within +-10% ${(100 * c.within10).toFixed(0)}%`);
if (values.json) console.log(JSON.stringify({ fitted: result.models, checked: c.n, spearman: Number(c.spearman.toFixed(4)), kendallTau: Number(c.kendallTau.toFixed(4)), mape: Number(c.mape.toFixed(4)) }));
