/**
 * npm run bench:local-profile [-- --json] [--models 40] [--seed 1]
 *
 * Measures real tfjs (wasm) inference latency of sampled mobile-cnn models on this
 * machine, calibrates the `local` profile on half and reports how it predicts the other
 * half (Spearman target >= 0.9), as `hwnas profile measure` does.
 */
import { parseArgs } from 'node:util';
import { measureLocal } from '../cli/profile/measure-local.js';

const { values } = parseArgs({ options: { json: { type: 'boolean', default: false }, models: { type: 'string', default: '40' }, seed: { type: 'string', default: '1' } } });
const result = await measureLocal({ space: 'mobile-cnn', models: Number(values.models), seed: Number(values.seed), backend: 'wasm', say: () => {} });
const c = result.check;
console.log(`local profile (${result.backend}) from ${result.models} mobile-cnn models: held-out ${c.n}: Spearman ${c.spearman.toFixed(3)}, Kendall tau ${c.kendallTau.toFixed(3)}, MAPE ${(100 * c.mape).toFixed(1)}%, within +-10% ${(100 * c.within10).toFixed(0)}%`);
if (values.json) console.log(JSON.stringify({ models: result.models, heldOut: c.n, spearman: Number(c.spearman.toFixed(4)), kendallTau: Number(c.kendallTau.toFixed(4)), mape: Number(c.mape.toFixed(4)) }));
