/**
 * npm run bench:cost [-- --json] [--seconds 2] [--profile raspberry-pi-4] [--space nb201]
 *
 * Whole-model cost estimates per second (roofline latency, energy, peak memory, stored
 * size and limit checks) on specs sampled from each built-in space, so budgets can be
 * checked before any training. Target: >= 100,000 estimates/s in the slowest space.
 *
 * The headline figure is how the search controller calls the model: one process searches
 * one space, and each proposal's spec is costed as soon as it is built. So each space runs
 * in a process of its own (a process that had costed another space's specs first runs
 * about a third slower: its compiled code was specialised for those), and each estimate is
 * timed alone on a spec just built (building is not timed; the two clock reads per
 * estimate are, which counts against us). A space writes a spec's packed form as it
 * builds it (spaces/packed-spec.ts), and the estimate reads that, not the node objects;
 * building is timed as a figure of its own, packed form included. Three more figures: the
 * specs costed again from a pool of 2,000 that no longer fits the CPU caches ("cold");
 * the building; and the same fresh specs as plain JSON (as parsed from a file or a worker
 * message: the estimate packs them from their objects first). `--space` runs one space
 * in this process.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { errorMessage } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import type { CostModel } from '../hardware-profiles/cost-model.js';
import { costModelFor } from '../hardware-profiles/registry.js';
import { sample } from '../spaces/operators.js';
import { getBuiltinSpace } from '../spaces/registry.js';
import type { ModelSpec } from '../spaces/model-spec.js';
import { benchArgs } from './args.js';

// Smallest to largest: the MCU-sized spaces, then the 83- and 160-node ones that set the headline figure.
const SPACES = ['mlp', 'tiny-cnn', 'mobile-cnn', 'nb201'];
const values = benchArgs('npm run bench:cost [-- --json] [--seconds 2] [--profile raspberry-pi-4] [--space nb201]', {
  json: { type: 'boolean', default: false }, seconds: { type: 'string', default: '2' }, profile: { type: 'string', default: 'raspberry-pi-4' },
  space: { type: 'string' },
});
const seconds = Number(values.seconds);
let model: CostModel;
try {
  if (!(seconds > 0)) throw new Error(`--seconds must be a positive number of seconds, got '${values.seconds}'`);
  if (values.space !== undefined) getBuiltinSpace(values.space);
  model = costModelFor(values.profile);
} catch (error) {
  console.error(`bench:cost: ${errorMessage(error)}`);
  process.exit(2);
}

interface SpaceResult { space: string; nodes: number; estimatesPerSec: number; coldEstimatesPerSec: number; specsBuiltPerSec: number; plainJsonEstimatesPerSec: number }

function measure(name: string): SpaceResult & { checksum: number } {
  const space = getBuiltinSpace(name);
  const shape = { inputShape: [32, 32, 3] as [number, number, number], numClasses: 10 };
  const rng = new Rng(1);
  const build = (): ModelSpec => space.toSpec(sample(space.definition, rng), shape);
  let sink = 0;
  for (let i = 0; i < 500; i++) sink += model.estimate(build()).latencyMs; // warm-up: let the JIT settle

  // Fresh: build a spec, cost it at once; only the costing is timed.
  let costing = 0, building = 0, done = 0, nodes = 0;
  while (costing + building < seconds * 1000) {
    const t0 = performance.now();
    const spec = build();
    const t1 = performance.now();
    sink += model.estimate(spec).latencyMs;
    const t2 = performance.now();
    building += t1 - t0; costing += t2 - t1; done++; nodes += spec.nodes.length;
  }

  // Cold: a pool too big for the caches, costed round and round.
  const pool = Array.from({ length: 2000 }, build);
  let cold = 0;
  const started = performance.now();
  while (performance.now() - started < seconds * 1000) for (const s of pool) { sink += model.estimate(s).latencyMs; cold++; }
  const coldSeconds = (performance.now() - started) / 1000;

  // Fresh specs again, as plain JSON: without a packed form, the estimate packs them from their objects.
  // Bounded by building, copying and costing together, as the fresh loop is.
  let plainCosting = 0, plainDone = 0;
  const plainStarted = performance.now();
  for (let i = 0; i < 500; i++) sink += model.estimate(plainCopy(build())).latencyMs;
  while (performance.now() - plainStarted < seconds * 1000) {
    const spec = plainCopy(build());
    const t0 = performance.now();
    sink += model.estimate(spec).latencyMs;
    plainCosting += performance.now() - t0; plainDone++;
  }

  return { space: name, nodes: Math.round(nodes / done), estimatesPerSec: Math.round(done / (costing / 1000)), coldEstimatesPerSec: Math.round(cold / coldSeconds),
    specsBuiltPerSec: Math.round(done / (building / 1000)), plainJsonEstimatesPerSec: Math.round(plainDone / (plainCosting / 1000)), checksum: sink };
}

/** The spec without its packed form, as JSON.parse gives it. */
const plainCopy = (spec: ModelSpec): ModelSpec => JSON.parse(JSON.stringify(spec)) as ModelSpec;

if (values.space !== undefined) {
  // One space in this process: the parent reads this JSON line.
  const { checksum, ...result } = measure(values.space);
  console.log(JSON.stringify({ ...result, checksumNonzero: checksum > 0 }));
} else {
  const results: SpaceResult[] = SPACES.map((space) => {
    const out = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--space', space, '--seconds', String(seconds), '--profile', values.profile], { encoding: 'utf8' });
    const { checksumNonzero: _, ...result } = JSON.parse(out.trim().split('\n').pop()!) as SpaceResult & { checksumNonzero: boolean };
    const f = (x: number) => x.toLocaleString('en');
    console.log(`${space.padEnd(10)}  ${f(result.estimatesPerSec).padStart(8)} estimates/s on ${values.profile} (fresh specs, ${result.nodes} nodes on average); `
      + `${f(result.coldEstimatesPerSec)}/s cold; building the specs: ${f(result.specsBuiltPerSec)}/s; the specs as plain JSON: ${f(result.plainJsonEstimatesPerSec)}/s`);
    return result;
  });
  const min = Math.min(...results.map((r) => r.estimatesPerSec));
  console.log(`slowest space: ${min.toLocaleString('en')} estimates/s (bar 100,000: ${min >= 100_000 ? 'met' : 'NOT met'})`);
  if (values.json) console.log(JSON.stringify({ profile: values.profile, results, minEstimatesPerSec: min }));
}
