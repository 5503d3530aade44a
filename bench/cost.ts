/**
 * npm run bench:cost [-- --json] [--seconds 2] [--profile raspberry-pi-4]
 *
 * Whole-model cost estimates per second (roofline latency, energy, peak memory, stored
 * size and limit checks) on sampled mobile-cnn and nb201 specs, so budgets can be checked
 * before any training. Target: >= 100,000 estimates/s.
 *
 * The headline figure is how the search controller calls the model: on a spec just built
 * from a proposal. Specs are built in batches of 16 (not timed) and each batch is costed
 * once (timed). Two more figures: the same specs costed again from a pool of 2,000 that no
 * longer fits the CPU caches ("cold"), and the spec-building itself, for scale.
 */
import { parseArgs } from 'node:util';
import { Rng } from '../core/rng.js';
import { costModelFor } from '../hardware-profiles/registry.js';
import { sample } from '../spaces/operators.js';
import { getBuiltinSpace } from '../spaces/registry.js';
import type { ModelSpec } from '../spaces/model-spec.js';

const { values } = parseArgs({ options: {
  json: { type: 'boolean', default: false }, seconds: { type: 'string', default: '2' }, profile: { type: 'string', default: 'raspberry-pi-4' },
} });
const seconds = Number(values.seconds);
const model = costModelFor(values.profile);
const shape = { inputShape: [32, 32, 3] as [number, number, number], numClasses: 10 };
const results: Array<{ space: string; nodes: number; estimatesPerSec: number; coldEstimatesPerSec: number; specsBuiltPerSec: number }> = [];
let sink = 0;

for (const name of ['mobile-cnn', 'nb201']) {
  const space = getBuiltinSpace(name);
  const rng = new Rng(1);
  const build = (count: number): ModelSpec[] => Array.from({ length: count }, () => space.toSpec(sample(space.definition, rng), shape));
  for (const s of build(500)) sink += model.estimate(s).latencyMs; // warm-up: let the JIT settle

  // Fresh: build a batch, cost it once; only the costing is timed.
  let costing = 0, building = 0, done = 0, nodes = 0;
  while (costing + building < seconds * 1000) {
    const t0 = performance.now();
    const batch = build(16);
    const t1 = performance.now();
    for (const s of batch) sink += model.estimate(s).latencyMs;
    const t2 = performance.now();
    building += t1 - t0; costing += t2 - t1; done += batch.length;
    for (const s of batch) nodes += s.nodes.length;
  }
  const estimatesPerSec = done / (costing / 1000), specsBuiltPerSec = done / (building / 1000);

  // Cold: a pool too big for the caches, costed round and round.
  const pool = build(2000);
  let cold = 0;
  const started = performance.now();
  while (performance.now() - started < seconds * 1000) for (const s of pool) { sink += model.estimate(s).latencyMs; cold++; }
  const coldEstimatesPerSec = cold / ((performance.now() - started) / 1000);

  results.push({ space: name, nodes: Math.round(nodes / done), estimatesPerSec: Math.round(estimatesPerSec), coldEstimatesPerSec: Math.round(coldEstimatesPerSec), specsBuiltPerSec: Math.round(specsBuiltPerSec) });
  console.log(`${name.padEnd(10)}  ${Math.round(estimatesPerSec).toLocaleString('en').padStart(8)} estimates/s on ${values.profile} (fresh specs, ${Math.round(nodes / done)} nodes on average); `
    + `${Math.round(coldEstimatesPerSec).toLocaleString('en')}/s cold; building the specs: ${Math.round(specsBuiltPerSec).toLocaleString('en')}/s`);
}
const min = Math.min(...results.map((r) => r.estimatesPerSec));
console.log(`slowest space: ${min.toLocaleString('en')} estimates/s (bar 100,000: ${min >= 100_000 ? 'met' : 'NOT met'}) [checksum ${sink.toPrecision(3)}]`);
if (values.json) console.log(JSON.stringify({ profile: values.profile, results, minEstimatesPerSec: min }));
