import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng.js';
import { TFJS_GRAPH_RULES } from '../../cli/profile/measure-local.js';
import { readMeasurements } from '../../cli/profile/read-measurements.js';
import { calibrateProfile } from '../../hardware-profiles/calibrate.js';
import { genericProfile } from '../../hardware-profiles/generic.js';
import { runningNodes } from '../../hardware-profiles/execution.js';
import { specGraph } from '../../hardware-profiles/graph.js';
import { nnls } from '../../hardware-profiles/nnls.js';
import { agreement, kendallTau, spearman } from '../../hardware-profiles/metrics.js';
import { resolveProfile } from '../../hardware-profiles/registry.js';
import { createCostModel } from '../../hardware-profiles/roofline.js';
import { sample } from '../../spaces/operators.js';
import { fromArchString, nb201 } from '../../spaces/nb201.js';
import type { ModelSpec } from '../../spaces/model-spec.js';
import { getBuiltinSpace } from '../../spaces/registry.js';

describe('agreement metrics, worked by hand', () => {
  it('Kendall tau-b and Spearman', () => {
    expect(kendallTau([1, 2, 3, 4], [1, 2, 3, 4])).toBe(1);
    expect(kendallTau([1, 2, 3, 4], [4, 3, 2, 1])).toBe(-1);
    // pairs: (1,2)+ (1,3)+ (1,4)+ (2,3)- (2,4)+ (3,4)+ -> (5 - 1) / 6
    expect(kendallTau([1, 2, 3, 4], [1, 3, 2, 4])).toBeCloseTo(4 / 6, 12);
    expect(spearman([1, 2, 3, 4], [1, 3, 2, 4])).toBeCloseTo(0.8, 12);
    expect(spearman([1, 2, 2, 3], [1, 2, 2, 3])).toBeCloseTo(1, 12);
  });
  it('MAPE and the share within 10%', () => {
    expect(agreement([1.05, 2.4, 3], [1, 2, 3])).toMatchObject({ n: 3, mape: expect.closeTo((0.05 + 0.2 + 0) / 3, 12), within10: 2 / 3 });
  });
});

describe('calibration', () => {
  it('nnls finds the exact non-negative optimum', () => {
    expect(nnls([[1, 0], [0, 1], [1, 1]], [2, 3, 5]).map((v) => Number(v.toFixed(9)))).toEqual([2, 3]);
    // The unconstrained optimum has a negative coefficient: the constrained one drops it.
    expect(nnls([[1, 1], [1, 2]], [1, 0]).map((v) => Number(v.toFixed(9)))).toEqual([0.5, 0]);
  });
  it('recovers known efficiencies and overhead from synthetic measurements', () => {
    const base = resolveProfile('raspberry-pi-4');
    const truth = { ...base, overheadSec: 40e-6, memory: { ...base.memory, bandwidthBytesPerSec: null },
      efficiency: { conv2d: 0.25, pointwise: 0.5, depthwise: 0.08, dense: 0.2, other: 0.04 } };
    const device = createCostModel(truth);
    const space = getBuiltinSpace('mobile-cnn');
    const rng = new Rng(5);
    const measurements = Array.from({ length: 60 }, () => {
      const spec = space.toSpec(sample(space.definition, rng), { inputShape: [32, 32, 3], numClasses: 10 });
      return { spec, latencyMs: device.estimate(spec).latencyMs };
    });
    // The device's own graph rules: with a conv always followed by batch norm, 'never fuse at 20 us' fits as well as 'fuse at 40 us'.
    const { profile, trainingMape } = calibrateProfile({ ...base, efficiency: { conv2d: 1, pointwise: 1, depthwise: 1, dense: 1, other: 1 }, overheadSec: 0 }, measurements,
      undefined, { searchRules: false });
    expect(trainingMape).toBeLessThan(1e-6);
    for (const kind of ['pointwise', 'depthwise', 'dense', 'pool', 'elementwise'] as const) expect(profile.overheadPerKindSec[kind]).toBeCloseTo(40e-6, 9);
    // Every mobile-cnn has one kxk conv, its stem: that kernel's overhead and the invoke overhead share 40 us between them.
    expect(profile.overheadPerKindSec.conv2d! + profile.invokeOverheadSec).toBeCloseTo(40e-6, 9);
    for (const kind of ['conv2d', 'pointwise', 'depthwise'] as const) {
      expect(profile.efficiency[kind] * profile.peakOpsPerSec.fp32!).toBeCloseTo(truth.efficiency[kind] * base.peakOpsPerSec.fp32!, -6);
    }
    expect(profile.sources.at(-1)).toMatch(/calibrated on 60 measured latencies/);
  });
  it('does not make a convolution free when the measurements cannot tell it apart from the layers that come with it', () => {
    // Real tfjs wasm latencies of 60 mobile-cnn models and of two stacks of 128-channel 1x1 convs (test/fixtures, measured
    // by hwnas on a 2-core Xeon). In mobile-cnn a 1x1 conv always comes with batch norm and an activation: fitted alone,
    // its rate came out 0, and the stacks were predicted 6-14x too fast.
    const fixture = (name: string) => new URL(`../fixtures/${name}`, import.meta.url).pathname;
    const rows = readMeasurements(fixture('local-mobile-cnn.csv'), 'mobile-cnn', 'cifar10');
    const base = genericProfile({ id: 'local', name: 'tfjs wasm', runtime: 'tfjs wasm backend, batch 1', native: TFJS_GRAPH_RULES, sources: [] });
    const { profile } = calibrateProfile(base, rows, 'local', { searchRules: false });
    expect(profile.sources.at(-1)).toMatch(/pointwise[a-z, ]* not told apart from the kinds measured with/);
    const stacks = JSON.parse(readFileSync(fixture('pointwise-stacks.json'), 'utf8')) as { specs: ModelSpec[]; latencyMs: number[] };
    const model = createCostModel(profile);
    stacks.specs.forEach((spec, i) => {
      const ratio = model.estimate(spec).latencyMs / stacks.latencyMs[i]!;
      expect(ratio, spec.name).toBeGreaterThan(0.2);
      expect(ratio, spec.name).toBeLessThan(5);
    });
  });
  const nb201Table = new URL('../../../shared/benchmarks/nb201.json', import.meta.url).pathname;
  it.skipIf(!existsSync(nb201Table))('keeps a tie between kinds only where the measurements do not reject it: HW-NAS-Bench\'s Pixel 3 (skipped without ../shared)', () => {
    // bench:costmodel's split: 3,125 NB201 latencies, the rest held out. The cell sums (elementwise) fit free; tied to the
    // ReLUs they cost the fit a little squared residual, too much for 3,125 rows, and that tie, kept on a fixed 5% bound,
    // left 64% of held-out predictions within 10% instead of 78%.
    const table = JSON.parse(readFileSync(nb201Table, 'utf8')) as { archs: Array<{ arch: string; hw: { cifar10: Record<string, number | null> } }> };
    const rows = table.archs.filter((a) => (a.hw.cifar10.pixel3_latency ?? 0) > 0)
      .map((a) => ({ spec: nb201.deploymentSpec!(fromArchString(a.arch), { inputShape: [32, 32, 3], numClasses: 10 }), latencyMs: a.hw.cifar10.pixel3_latency! }));
    const rng = new Rng(1);
    for (let i = rows.length - 1; i > 0; i--) { const j = rng.int(i + 1); [rows[i], rows[j]] = [rows[j]!, rows[i]!]; }
    const cut = Math.round(rows.length * 0.2);
    const { profile } = calibrateProfile(resolveProfile('pixel-3'), rows.slice(0, cut));
    expect(/; ([a-z, ]+) not told apart/.exec(profile.sources.at(-1)!)?.[1]).not.toContain('elementwise');
    const model = createCostModel(profile);
    const heldOut = rows.slice(cut);
    expect(agreement(heldOut.map((r) => model.estimate(r.spec).latencyMs), heldOut.map((r) => r.latencyMs)).within10).toBeGreaterThan(0.72);
  });
  it('keeps the base figures for a kind the fit zeroes but no measured kin can stand in for, without raising the peak', () => {
    // Dispatch-bound MLPs: latency follows the layer count, not the MACs, so the fit zeroes dense's compute;
    // nothing else measured computes, so nothing says what a 4096-wide dense layer costs.
    const base = genericProfile({ id: 'local', name: 'tfjs wasm', runtime: 'tfjs wasm backend, batch 1', native: TFJS_GRAPH_RULES, sources: [] });
    const mlp = getBuiltinSpace('mlp');
    const rng = new Rng(1);
    const specs = Array.from({ length: 40 }, () => mlp.toSpec(sample(mlp.definition, rng), { inputShape: [28, 28, 1], numClasses: 10 }));
    const { profile } = calibrateProfile(base, specs.map((spec, i) => ({ spec, latencyMs: 0.05 + 0.002 * spec.nodes.length + 0.0001 * (i % 3) })), 'local', { searchRules: false });
    expect(profile.peakOpsPerSec.fp32).toBe(base.peakOpsPerSec.fp32);
    expect(profile.efficiency.dense).toBe(base.efficiency.dense);
  });
  it('finds which graph rules the device applies from the measurements alone', () => {
    const base = resolveProfile('raspberry-pi-4');
    const truth = { ...base, invokeOverheadSec: 50e-6, native: { ...base.native, folding: 'full' as const, zeros: 'constant' as const, fusion: 'always' as const } };
    const device = createCostModel(truth);
    const rng = new Rng(3);
    const measurements = Array.from({ length: 80 }, () => {
      const spec = nb201.deploymentSpec!(sample(nb201.definition, rng), { inputShape: [32, 32, 3], numClasses: 10 });
      return { spec, latencyMs: device.estimate(spec).latencyMs };
    });
    const start = { ...base, native: { ...base.native, folding: 'none' as const, zeros: 'kernel' as const, fusion: 'never' as const } };
    const { rules, trainingMape } = calibrateProfile(start, measurements);
    // Folding is what these cells reveal; fusion only moves a fixed cost between conv and norm kernels.
    expect(rules).toMatchObject({ folding: 'full', zeros: 'constant' });
    expect(trainingMape).toBeLessThan(0.01);
    expect(calibrateProfile(start, measurements, undefined, { searchRules: false }).trainingMape).toBeGreaterThan(trainingMape);
  });
  it('leaves a kind no measured model runs at the base profile\'s throughput and overhead, however the peaks are rescaled', () => {
    const base = resolveProfile('raspberry-pi-4');
    // NB201 has no depthwise conv: a device 3x slower than the Pi's peak says nothing about one.
    const device = createCostModel({ ...base, peakOpsPerSec: { fp32: base.peakOpsPerSec.fp32! / 3, int8: base.peakOpsPerSec.int8! / 3 } });
    const rng = new Rng(2);
    const measurements = Array.from({ length: 40 }, () => {
      const spec = nb201.deploymentSpec!(sample(nb201.definition, rng), { inputShape: [32, 32, 3], numClasses: 10 });
      return { spec, latencyMs: device.estimate(spec).latencyMs };
    });
    const { profile, unmeasured } = calibrateProfile(base, measurements);
    expect(unmeasured).toContain('depthwise');
    expect(profile.efficiency.depthwise * profile.peakOpsPerSec.fp32!).toBeCloseTo(base.efficiency.depthwise * base.peakOpsPerSec.fp32!, -3);
    expect(profile.overheadPerKindSec.depthwise).toBe(base.overheadSec);
    expect(profile.sources.at(-1)).toMatch(/depthwise.* not measured: raspberry-pi-4's figures/);
  });

  it('refuses a latency that is not a positive number', () => {
    const spec = nb201.toSpec(fromArchString('|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_1x1~1|+|skip_connect~0|nor_conv_3x3~1|avg_pool_3x3~2|'), { inputShape: [32, 32, 3], numClasses: 10 });
    expect(() => calibrateProfile(resolveProfile('pixel-3'), Array.from({ length: 40 }, (_, i) => ({ spec, latencyMs: i === 7 ? 0 : 3 })))).toThrow(/measurement 8 has latency 0 ms/);
  });
  it('refuses fewer measurements than parameters', () => {
    const spec = nb201.toSpec(fromArchString('|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_1x1~1|+|skip_connect~0|nor_conv_3x3~1|avg_pool_3x3~2|'), { inputShape: [32, 32, 3], numClasses: 10 });
    expect(() => calibrateProfile(resolveProfile('pixel-3'), [{ spec, latencyMs: 3 }])).toThrow(/needs at least \d+ measurements/);
  });
  it('folds constant branches: a cell whose output has only none inputs leaves nothing to compute before it', () => {
    const dead = nb201.toSpec(fromArchString('|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|none~0|none~1|none~2|'), { inputShape: [32, 32, 3], numClasses: 10 });
    const live = nb201.toSpec(fromArchString('|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|none~1|none~2|'), { inputShape: [32, 32, 3], numClasses: 10 });
    const pi = createCostModel(resolveProfile('raspberry-pi-4'));
    expect(pi.estimate(dead).latencyMs).toBeLessThan(pi.estimate(live).latencyMs / 10);
    const running = (folding: 'full' | 'none') => runningNodes(specGraph(dead), { folding, zeros: 'constant', fusion: 'never' }).filter(Boolean).length;
    expect(running('none')).toBeGreaterThan(running('full'));
  });
});
