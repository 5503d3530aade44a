/**
 * npm run bench:cost [-- --json] [--models 2000]
 *
 * Whole-model cost estimates per second (roofline latency + energy + peak memory +
 * stored size) on sampled mobile-cnn and nb201 specs, so budgets can be checked before
 * any training. Target: >= 100,000 estimates/s. Specs are built first; the figure is the
 * cost model alone, as the controller calls it for every proposal.
 */
import { parseArgs } from 'node:util';
import { Rng } from '../core/rng.js';
import { costModelFor } from '../hardware-profiles/registry.js';
import { sample } from '../spaces/operators.js';
import { getBuiltinSpace } from '../spaces/registry.js';

const { values } = parseArgs({ options: { json: { type: 'boolean', default: false }, models: { type: 'string', default: '2000' } } });
const count = Number(values.models);
const rng = new Rng(1);
const results: Array<{ space: string; estimatesPerSec: number }> = [];
for (const [name, data] of [['mobile-cnn', { inputShape: [32, 32, 3], numClasses: 10 }], ['nb201', { inputShape: [32, 32, 3], numClasses: 10 }]] as const) {
  const space = getBuiltinSpace(name);
  const specs = Array.from({ length: count }, () => space.toSpec(sample(space.definition, rng), { inputShape: [...data.inputShape], numClasses: data.numClasses }));
  const model = costModelFor('raspberry-pi-4');
  let sink = 0;
  for (const s of specs.slice(0, 200)) sink += model.estimate(s).latencyMs; // warm-up
  const started = performance.now();
  let done = 0;
  while (performance.now() - started < 2000) for (const s of specs) { sink += model.estimate(s).latencyMs; done++; }
  const perSec = done / ((performance.now() - started) / 1000);
  results.push({ space: name, estimatesPerSec: Math.round(perSec) });
  console.log(`${name.padEnd(10)}  ${Math.round(perSec).toLocaleString('en')} estimates/s on raspberry-pi-4 (${specs[0]!.nodes.length}+ nodes per model; checksum ${sink.toPrecision(3)})`);
}
if (values.json) console.log(JSON.stringify({ results, minEstimatesPerSec: Math.min(...results.map((r) => r.estimatesPerSec)) }));
