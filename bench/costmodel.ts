/**
 * npm run bench:costmodel [-- --json] [--seed 1] [--share 0.2]
 *
 * HW-NAS-Bench's measured latencies of the NAS-Bench-201 space (../shared/benchmarks/
 * nb201.json, CIFAR-10 input, batch 1), per device: calibrate a profile on a seeded
 * random 20% of the architectures, predict the other 80%, and report Kendall tau,
 * Spearman rho, MAPE and the share within +-10%. Bar: Kendall tau >= 0.75 everywhere.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Rng } from '../core/rng.js';
import { calibrateProfile, type Measurement } from '../hardware-profiles/calibrate.js';
import { agreement } from '../hardware-profiles/metrics.js';
import { parseProfile } from '../hardware-profiles/parse-profile.js';
import type { Profile } from '../hardware-profiles/profile.js';
import { resolveProfile } from '../hardware-profiles/registry.js';
import { createCostModel } from '../hardware-profiles/roofline.js';
import { fromArchString, nb201 } from '../spaces/nb201.js';

const { values } = parseArgs({ options: { json: { type: 'boolean', default: false }, seed: { type: 'string', default: '1' }, share: { type: 'string', default: '0.2' } } });
const file = fileURLToPath(new URL('../../../shared/benchmarks/nb201.json', import.meta.url));
if (!existsSync(file)) {
  console.log(`skipped: ${file} not found (the HW-NAS-Bench data lives in ../shared/benchmarks beside the project)`);
  process.exit(0);
}
const data = JSON.parse(readFileSync(file, 'utf8')) as { archs: Array<{ arch: string; hw: { cifar10: Record<string, number | null> } }> };

/** A device no built-in profile describes (HW-NAS-Bench's FPGA): generic numbers, all to be fitted. */
const generic: Profile = parseProfile({
  id: 'generic', name: 'a device to calibrate', runtime: 'unknown', class: 'fpga', peak: { fp32: '100 GOPS' },
  native: { precisions: ['fp32'], unstructuredSparsity: false, foldsConstants: false }, memory: { bandwidth: null, limits: 'soft' }, overhead: '10us',
  efficiency: { conv2d: 0.5, pointwise: 0.5, depthwise: 0.5, dense: 0.5, other: 0.5 },
  energy: { perMac: { fp32: '4.6pJ' }, perByte: { sram: '2.5pJ', dram: '162.5pJ' }, source: 'horowitz2014' },
  power: null, estimates: ['peak', 'overhead', 'efficiency'], sources: [],
}, 'generic');

const DEVICES: Array<[string, string, Profile]> = [
  ['edgegpu', 'edgegpu_latency', resolveProfile('jetson-tx2')],
  ['raspi4', 'raspi4_latency', resolveProfile('raspberry-pi-4')],
  ['edgetpu', 'edgetpu_latency', resolveProfile('coral-edgetpu')],
  ['pixel3', 'pixel3_latency', resolveProfile('pixel-3')],
  ['eyeriss', 'eyeriss_latency', resolveProfile('eyeriss')],
  ['fpga', 'fpga_latency', generic],
];
const shape = { inputShape: [32, 32, 3] as [number, number, number], numClasses: 10 };
const specs = data.archs.map((a) => nb201.toSpec(fromArchString(a.arch), shape));
const rows: object[] = [];
for (const [device, key, base] of DEVICES) {
  const measured = data.archs.map((a, i) => ({ spec: specs[i]!, latencyMs: a.hw.cifar10[key] ?? null })).filter((m): m is Measurement => m.latencyMs !== null && m.latencyMs > 0);
  const rng = new Rng(Number(values.seed));
  const order = measured.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) { const j = rng.int(i + 1); [order[i], order[j]] = [order[j]!, order[i]!]; }
  const cut = Math.round(order.length * Number(values.share));
  const train = order.slice(0, cut).map((i) => measured[i]!), test = order.slice(cut).map((i) => measured[i]!);
  const { profile, trainingMape } = calibrateProfile(base, train, `${device}-calibrated`);
  const model = createCostModel(profile);
  const result = agreement(test.map((m) => model.estimate(m.spec).latencyMs), test.map((m) => m.latencyMs));
  const row = { device, base: base.id, calibrated: train.length, validated: test.length, kendallTau: round(result.kendallTau), spearman: round(result.spearman), mape: round(result.mape), within10: round(result.within10) };
  rows.push(row);
  console.log(`${device.padEnd(8)} from ${base.id.padEnd(15)} fit on ${String(train.length).padStart(5)} (MAPE ${(100 * trainingMape).toFixed(1)}%), `
    + `validated on ${String(test.length).padStart(5)}: Kendall tau ${result.kendallTau.toFixed(3)}, Spearman ${result.spearman.toFixed(3)}, MAPE ${(100 * result.mape).toFixed(1)}%, within +-10% ${(100 * result.within10).toFixed(1)}%`);
}
if (values.json) for (const r of rows) console.log(JSON.stringify(r));

function round(x: number): number { return Number(x.toFixed(4)); }
