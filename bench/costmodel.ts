/**
 * npm run bench:costmodel [-- --json] [--seed 1] [--share 0.2] [--spec measured|canonical]
 *
 * HW-NAS-Bench's measured latencies of the NAS-Bench-201 space (../shared/benchmarks/
 * nb201.json, CIFAR-10 input 32x32x3, batch 1), per device: calibrate a profile on a
 * seeded random 20% of the architectures, predict the other 80%, and report Kendall tau
 * (tau-b), Spearman rho, MAPE and the share within +-10%. Bar: Kendall tau >= 0.75 on
 * every device. Nothing about the validation architectures reaches the fit.
 *
 * --spec measured (default) costs the network HW-NAS-Bench ran (spaces/
 * nb201-deployed.ts: `none` edges as x * 0, every cell node a sum); --spec canonical
 * costs spaces/nb201.ts's simplified network instead, for comparison.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Rng } from '../core/rng.js';
import { calibrateProfile, type Measurement } from '../hardware-profiles/calibrate.js';
import { genericProfile } from '../hardware-profiles/generic.js';
import { agreement } from '../hardware-profiles/metrics.js';
import type { Profile } from '../hardware-profiles/profile.js';
import { resolveProfile } from '../hardware-profiles/registry.js';
import { createCostModel } from '../hardware-profiles/roofline.js';
import { fromArchString, nb201 } from '../spaces/nb201.js';
import { benchArgs } from './args.js';

const values = benchArgs('npm run bench:costmodel [-- --json] [--seed 1] [--share 0.2] [--spec measured|canonical]', {
  json: { type: 'boolean', default: false }, seed: { type: 'string', default: '1' }, share: { type: 'string', default: '0.2' },
  spec: { type: 'string', default: 'measured' }, devices: { type: 'string' },
});
const file = fileURLToPath(new URL('../../../shared/benchmarks/nb201.json', import.meta.url));
if (!existsSync(file)) {
  console.log(`skipped: ${file} not found (the HW-NAS-Bench data lives in ../shared/benchmarks beside the project)`);
  process.exit(0);
}
if (values.spec !== 'measured' && values.spec !== 'canonical') throw new Error(`--spec must be measured or canonical, got '${values.spec}'`);
const data = JSON.parse(readFileSync(file, 'utf8')) as { archs: Array<{ arch: string; hw: { cifar10: Record<string, number | null> } }> };

// HW-NAS-Bench's FPGA is a ZC706-class estimate no data file describes: start generic, as a user with a new device would.
const DEVICES: Array<[string, string, Profile]> = [
  ['edgegpu', 'edgegpu_latency', resolveProfile('jetson-tx2')],
  ['raspi4', 'raspi4_latency', resolveProfile('raspberry-pi-4')],
  ['edgetpu', 'edgetpu_latency', resolveProfile('coral-edgetpu')],
  ['pixel3', 'pixel3_latency', resolveProfile('pixel-3')],
  ['eyeriss', 'eyeriss_latency', resolveProfile('eyeriss')],
  ['fpga', 'fpga_latency', genericProfile({ id: 'fpga', name: 'HW-NAS-Bench FPGA (ZC706-class, estimated by HW-NAS-Bench)', runtime: 'unknown', class: 'fpga' })],
];
const wanted = values.devices?.split(',') ?? DEVICES.map((d) => d[0]);
const shape = { inputShape: [32, 32, 3] as [number, number, number], numClasses: 10 };
const toSpec = values.spec === 'measured' ? nb201.deploymentSpec! : nb201.toSpec;
const specs = data.archs.map((a) => toSpec(fromArchString(a.arch), shape));
const rows: object[] = [];
for (const [device, key, base] of DEVICES.filter((d) => wanted.includes(d[0]))) {
  // Three of the devices also have energies (edgegpu, eyeriss, fpga): fitted and checked alongside.
  const energyKey = key.replace(/_latency$/, '_energy');
  const measured = data.archs.map((a, i) => ({ spec: specs[i]!, latencyMs: a.hw.cifar10[key] ?? null, energyMj: a.hw.cifar10[energyKey] ?? null }))
    .filter((m): m is Measurement & { energyMj: number | null } => m.latencyMs !== null && m.latencyMs > 0);
  const rng = new Rng(Number(values.seed));
  const order = measured.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) { const j = rng.int(i + 1); [order[i], order[j]] = [order[j]!, order[i]!]; }
  const cut = Math.round(order.length * Number(values.share));
  const train = order.slice(0, cut).map((i) => measured[i]!), test = order.slice(cut).map((i) => measured[i]!);
  const started = performance.now();
  const { profile, trainingMape, rules } = calibrateProfile(base, train, `${device}-calibrated`);
  const fitMs = performance.now() - started;
  const model = createCostModel(profile);
  const costs = test.map((m) => model.estimate(m.spec));
  const result = agreement(costs.map((c) => c.latencyMs), test.map((m) => m.latencyMs));
  const withEnergy = test.flatMap((m, i) => (m.energyMj !== null && m.energyMj !== undefined && m.energyMj > 0 ? [[costs[i]!.energyMj, m.energyMj] as const] : []));
  const energy = withEnergy.length >= 3 ? agreement(withEnergy.map(([p]) => p), withEnergy.map(([, e]) => e)) : null;
  rows.push({ device, kendallTau: round(result.kendallTau), spearman: round(result.spearman), mape: round(result.mape), within10: round(result.within10),
    base: base.id, calibrated: train.length, validated: test.length, spec: values.spec,
    ...(energy === null ? {} : { energy: { n: energy.n, kendallTau: round(energy.kendallTau), spearman: round(energy.spearman), mape: round(energy.mape), within10: round(energy.within10) } }) });
  console.log(`${device.padEnd(8)} from ${base.id.padEnd(15)} fit on ${String(train.length).padStart(5)} (MAPE ${(100 * trainingMape).toFixed(1)}%, `
    + `folding=${rules.folding} zeros=${rules.zeros} fusion=${rules.fusion}, ${fitMs.toFixed(0)} ms), validated on ${String(test.length).padStart(5)}: `
    + `Kendall tau ${result.kendallTau.toFixed(3)}, Spearman ${result.spearman.toFixed(3)}, MAPE ${(100 * result.mape).toFixed(1)}%, within +-10% ${(100 * result.within10).toFixed(1)}%`
    + `${energy === null ? '' : `; energy: Kendall tau ${energy.kendallTau.toFixed(3)}, MAPE ${(100 * energy.mape).toFixed(1)}%, within +-10% ${(100 * energy.within10).toFixed(1)}%`}`);
}
if (values.json) for (const r of rows) console.log(JSON.stringify(r));

function round(x: number): number { return Number(x.toFixed(4)); }
