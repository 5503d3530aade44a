import { describe, expect, it } from 'vitest';
import type { Json } from '../../core/json.js';
import type { ModelSpec } from '../../spaces/model-spec.js';
import { getBuiltinSpace } from '../../spaces/registry.js';
import { analyzeSpec } from '../../spaces/analyze.js';
import { summarizeSpec } from '../../spaces/summary.js';
import { Rng } from '../../core/rng.js';
import { planExecution } from '../../hardware-profiles/execution.js';
import { activationFusion, OP, specGraph } from '../../hardware-profiles/graph.js';
import { peakActivationBytes, peakActivationBytesOf } from '../../hardware-profiles/memory.js';
import { sample } from '../../spaces/operators.js';
import { parseProfile } from '../../hardware-profiles/parse-profile.js';
import { builtinProfileIds, costModelFor, resolveProfile } from '../../hardware-profiles/registry.js';
import { createCostModel } from '../../hardware-profiles/roofline.js';
import { macProxy } from '../../hardware-profiles/mac-proxy.js';
import { serializeProfile } from '../../hardware-profiles/serialize-profile.js';

/** A profile with round numbers, so costs can be worked by hand. */
const ROUND: Record<string, Json> = {
  id: 'round', name: 'hand-worked device', runtime: 'test', class: 'cpu',
  peak: { fp32: '1 GOPS', int8: '4 GOPS' }, native: { precisions: ['fp32', 'int8'], unstructuredSparsity: false },
  memory: { bandwidth: '1 GB/s', sramBandwidth: '1 GB/s', sram: '1MiB', limits: 'soft' }, overhead: '10us',
  efficiency: { conv2d: 1, pointwise: 1, depthwise: 1, dense: 1, other: 1 },
  energy: { perMac: { fp32: '4pJ', int8: '1pJ' }, perByte: { sram: '1pJ', dram: '100pJ' }, source: 'round numbers' },
  power: null, estimates: [], sources: [],
};
const profile = (changes: Record<string, Json> = {}) => parseProfile({ ...ROUND, ...changes }, 'round.json');

function twoDense(bits = 32, sparsity = 0): ModelSpec {
  const compression = { weightBits: bits, activationBits: bits, sparsity };
  return {
    name: 'two', inputShape: [4, 4, 1], numClasses: 2, nodes: [
      { name: 'flatten', layer: { op: 'flatten' }, inputs: ['input'] },
      { name: 'dense0', layer: { op: 'dense', units: 8, activation: 'relu', bias: true }, inputs: ['flatten'], compression },
      { name: 'dense1', layer: { op: 'dense', units: 2, activation: 'linear', bias: true }, inputs: ['dense0'], compression },
    ],
  };
}

describe('roofline cost model', () => {
  it('matches a hand-worked two-layer model', () => {
    // dense0: 128 MACs = 256 ops (256 ns) vs 512 B weights + (16 + 8) x 4 B activations = 608 B (608 ns): memory-bound, + 10 us.
    // dense1: 16 MACs (32 ns) vs 64 + 40 = 104 B (104 ns), + 10 us.  Energy: 128 x 4 + 608 x 1 = 1120 pJ; 16 x 4 + 104 = 168 pJ.
    const cost = createCostModel(profile()).estimateDetailed(twoDense());
    expect(cost.layers.map((l) => l.latencyMs)).toEqual([expect.closeTo(0.010608, 9), expect.closeTo(0.010104, 9)]);
    expect(cost.latencyMs).toBeCloseTo(0.020712, 9);
    expect(cost.energyMj).toBeCloseTo(1288e-9, 15);
    expect(cost.violations).toEqual([]);
  });

  it('moves what does not fit on chip at DRAM energy', () => {
    // SRAM of 64 B: the 576 B of weights live in DRAM; dense0's 96 B of activations too, dense1's 40 B fit.
    // Same bandwidth, so the same time; energy: 512 + 608 x 100 = 61312 pJ; 64 + 64 x 100 + 40 x 1 = 6504 pJ.
    const cost = createCostModel(profile({ memory: { bandwidth: '1 GB/s', sramBandwidth: '1 GB/s', sram: '64B', limits: 'soft' } })).estimateDetailed(twoDense());
    expect(cost.latencyMs).toBeCloseTo(0.020712, 9);
    expect(cost.layers.map((l) => l.energyMj)).toEqual([expect.closeTo(61312e-9, 15), expect.closeTo(6504e-9, 15)]);
  });

  it('runs an activation as the kernels the runtime splits it into, and a weight layer\'s unfused activation after it', () => {
    // A 4x4x1 input through hswish: 16 elements, 64 B in and 64 B out = 128 B (128 ns) vs 16 ops (16 ns), + 10 us per kernel.
    const hswish: ModelSpec = { name: 'act', inputShape: [4, 4, 1], numClasses: 2, nodes: [{ name: 'act', layer: { op: 'activation', activation: 'hswish' }, inputs: ['input'] }] };
    // Fusion 'never': with 'always', an activation on the model's input would fuse into nothing and cost nothing.
    const native = { precisions: ['fp32', 'int8'], fusion: 'never', activationKernels: { hswish: 4 }, fusedActivations: ['relu'] } as Record<string, Json>;
    expect(createCostModel(profile({ native: { precisions: ['fp32', 'int8'], fusion: 'never' } })).estimate(hswish).latencyMs).toBeCloseTo(0.010128, 9);
    expect(createCostModel(profile({ native })).estimate(hswish).latencyMs).toBeCloseTo(4 * 0.010128, 9);
    // dense0's relu is fused either way; made hswish, it adds 4 kernels over its 8 outputs: 8 ops vs 2 x 32 B = 64 ns each, + 10 us.
    const spec = twoDense();
    const plain = createCostModel(profile({ native })).estimate(spec).latencyMs;
    expect(plain).toBeCloseTo(0.020712, 9);
    spec.nodes[1] = { ...spec.nodes[1]!, layer: { op: 'dense', units: 8, activation: 'hswish', bias: true } };
    expect(createCostModel(profile({ native })).estimate(spec).latencyMs).toBeCloseTo(plain + 4 * 0.010064, 9);
    expect(createCostModel(profile()).estimate(spec).latencyMs).toBeCloseTo(plain, 9);
    // The same hswish as a layer of its own after a linear dense0: under fusion 'always' it fuses only where the
    // runtime's kernels can apply hswish, so it costs what dense0's own hswish does.
    const separate = twoDense();
    separate.nodes.splice(1, 2, { ...separate.nodes[1]!, layer: { op: 'dense', units: 8, activation: 'linear', bias: true } },
      { name: 'act', layer: { op: 'activation', activation: 'hswish' }, inputs: ['dense0'] }, { ...separate.nodes[2]!, inputs: ['act'] });
    const always = { ...native, fusion: 'always' };
    expect(createCostModel(profile({ native: always })).estimate(separate).latencyMs).toBeCloseTo(plain + 4 * 0.010064, 9);
    expect(createCostModel(profile({ native: { ...always, fusedActivations: null } })).estimate(separate).latencyMs).toBeCloseTo(plain, 9);
  });

  // The model reads, places and costs each node in one pass of its own; the graph pass, the
  // plan and memory.ts do the same in three. They must agree on every space and profile.
  it('reads, places and counts peak memory in one pass as the graph pass, the plan and memory.ts do', () => {
    const rng = new Rng(3);
    let dead = 0;
    for (const name of ['mobile-cnn', 'nb201', 'tiny-cnn', 'mlp']) {
      const space = getBuiltinSpace(name);
      for (let i = 0; i < 12; i++) {
        // Not square, so a height read for a width shows.
        const spec = space.toSpec(sample(space.definition, rng), { inputShape: [32, 24, 3], numClasses: 10 });
        const g = specGraph(spec);
        if (!g.allNeeded) dead++;
        for (const id of builtinProfileIds()) {
          const p = resolveProfile(id);
          const rules = { folding: p.native.folding, zeros: p.native.zeros, fusion: p.native.fusion, activationFuses: activationFusion(p.native.fusedActivations) };
          const plan = planExecution(g, rules);
          const kernels = Array.from(plan.order.subarray(0, plan.count));
          const cost = costModelFor(id).estimateDetailed(spec);
          expect(cost.layers.map((l) => l.name), `${name} ${id}`).toEqual(kernels.map((k) => spec.nodes[k]!.name));
          cost.layers.forEach((layer, o) => {
            const k = kernels[o]!;
            // Executed MACs differ from the graph's only where zero weights are skipped or a sum is priced by what it reads.
            if (g.op[k] !== OP.add && (g.weights[k] === 0 || g.sparsity[k] === 0)) expect(layer.macs, `${name} ${id} ${layer.name}`).toBe(g.macs[k]);
          });
          expect(cost.storedBytes).toBe(g.storedBytes);
          expect(cost.peakMemoryBytes, `${name} ${id}`).toBe(peakActivationBytesOf(g, planExecution(g, rules), g.bytes));
        }
      }
    }
    // Some NB201 cells leave nodes dead or constant: the model's structural pass for them ran.
    expect(dead).toBeGreaterThan(0);
  });

  it('adds static power times the latency to the energy, per layer and in total', () => {
    const dynamic = createCostModel(profile()).estimateDetailed(twoDense());
    const withStatic = createCostModel(profile({ energy: { perMac: { fp32: '4pJ', int8: '1pJ' }, perByte: { sram: '1pJ', dram: '100pJ' }, static: '2W', source: 'round numbers' } })).estimateDetailed(twoDense());
    expect(withStatic.latencyMs).toBe(dynamic.latencyMs);
    // 2 W over a latency of t ms is 2t mJ.
    expect(withStatic.energyMj).toBeCloseTo(dynamic.energyMj + 2 * dynamic.latencyMs, 12);
    withStatic.layers.forEach((l, i) => expect(l.energyMj).toBeCloseTo(dynamic.layers[i]!.energyMj + 2 * l.latencyMs, 12));
  });

  it('adds the invoke overhead once per inference', () => {
    const plain = createCostModel(profile()).estimate(twoDense());
    expect(createCostModel(profile({ invokeOverhead: '100us' })).estimate(twoDense()).latencyMs).toBeCloseTo(plain.latencyMs + 0.1, 9);
  });

  it('int8 speeds up only where int8 runs natively', () => {
    const computeBound = { memory: { bandwidth: null, sram: '1MiB', limits: 'soft' } } as Record<string, Json>;
    const withInt8 = createCostModel(profile(computeBound));
    const floatOnly = createCostModel(profile({ ...computeBound, peak: { fp32: '1 GOPS' }, native: { precisions: ['fp32'], unstructuredSparsity: false } }));
    expect(withInt8.estimate(twoDense(8)).latencyMs).toBeLessThan(withInt8.estimate(twoDense(32)).latencyMs);
    expect(floatOnly.estimate(twoDense(8)).latencyMs).toBe(floatOnly.estimate(twoDense(32)).latencyMs);
    // A 4-bit weight computes at int8 speed: storage shrinks, compute does not.
    expect(withInt8.estimate(twoDense(4)).latencyMs).toBe(withInt8.estimate(twoDense(8)).latencyMs);
  });

  it('unstructured sparsity saves storage everywhere but time only on sparse-kernel devices', () => {
    const computeBound = { memory: { bandwidth: null, sram: '1MiB', limits: 'soft' } } as Record<string, Json>;
    const dense = createCostModel(profile(computeBound));
    const sparse = createCostModel(profile({ ...computeBound, native: { precisions: ['fp32', 'int8'], unstructuredSparsity: true, minSparsity: 0.7 } }));
    const [full, pruned] = [dense.estimate(twoDense(32, 0)), dense.estimate(twoDense(32, 0.9))];
    expect(pruned.latencyMs).toBe(full.latencyMs);
    const weightBytes = (c: typeof full) => c.storedBytes - 4 * (8 + 2); // minus float32 biases
    expect(weightBytes(pruned) / weightBytes(full)).toBeLessThan(0.12);
    expect(sparse.estimate(twoDense(32, 0.9)).latencyMs).toBeLessThan(full.latencyMs);
    expect(sparse.estimate(twoDense(32, 0.5)).latencyMs).toBe(full.latencyMs); // below the device's threshold
  });

  it('says which microcontroller limit a candidate breaks and by how much', () => {
    const mlp = getBuiltinSpace('mlp');
    const lenet = mlp.toSpec(mlp.presets!['lenet-300-100']!, { inputShape: [28, 28, 1], numClasses: 10 });
    const cost = costModelFor('arduino-nano33ble').estimate(lenet);
    expect(cost.violations).toEqual([expect.stringMatching(/^stored weights 1041\.\d KiB exceed arduino-nano33ble's flash 1024\.0 KiB by 17\.\d KiB$/)]);
    const wide: ModelSpec = { name: 'wide', inputShape: [28, 28, 1], numClasses: 10, nodes: [
      { name: 'c0', layer: { op: 'conv2d', filters: 64, kernel: 3, stride: 1, padding: 'same', activation: 'relu', bias: true }, inputs: ['input'] },
      { name: 'c1', layer: { op: 'conv2d', filters: 64, kernel: 3, stride: 1, padding: 'same', activation: 'relu', bias: true }, inputs: ['c0'] },
      { name: 'gap', layer: { op: 'gap' }, inputs: ['c1'] },
      { name: 'logits', layer: { op: 'dense', units: 10, activation: 'linear', bias: true }, inputs: ['gap'] },
    ] };
    expect(costModelFor('arduino-nano33ble').estimate(wide).violations.join()).toMatch(/peak activation memory 392\.0 KiB exceeds arduino-nano33ble's SRAM 256\.0 KiB by 136\.0 KiB/);
    expect(costModelFor('raspberry-pi-4').estimate(wide).violations).toEqual([]); // caches are not hard limits
    expect(costModelFor('coral-edgetpu').estimate(wide).violations.join()).toMatch(/runs only int8 models/);
  });

  it('counts peak activation memory over the schedule, keeping residual inputs alive', () => {
    const spec: ModelSpec = { name: 'res', inputShape: [2, 2, 1], numClasses: 4, nodes: [
      { name: 'a', layer: { op: 'conv2d', filters: 4, kernel: 1, stride: 1, padding: 'same', activation: 'relu', bias: false }, inputs: ['input'] },
      { name: 'b', layer: { op: 'conv2d', filters: 4, kernel: 1, stride: 1, padding: 'same', activation: 'relu', bias: false }, inputs: ['a'] },
      { name: 'sum', layer: { op: 'add' }, inputs: ['a', 'b'] },
      { name: 'gap', layer: { op: 'gap' }, inputs: ['sum'] },
    ] };
    // input 4 + a 16; then a 16 + b 16 (input freed); then a + b + sum = 48 elements; then sum 16 + gap 4.
    expect(peakActivationBytes(spec, 1)).toBe(48);
  });
});

describe('energy of the built-in profiles', () => {
  it('includes the board\'s draw for the inference: the TX2 near the 4.5 W HW-NAS-Bench measured, the STM32 near MLPerf Tiny\'s 161 mW', () => {
    const space = getBuiltinSpace('nb201');
    const rng = new Rng(3);
    const tx2 = costModelFor('jetson-tx2');
    for (let i = 0; i < 20; i++) {
      const cost = tx2.estimate(space.toSpec(sample(space.definition, rng), { inputShape: [32, 32, 3], numClasses: 10 }));
      // mJ per ms is watts: the static draw and the modelled MACs and bytes on top.
      expect(cost.energyMj / cost.latencyMs).toBeGreaterThanOrEqual(4.5);
      expect(cost.energyMj / cost.latencyMs).toBeLessThan(6);
    }
    const mcu = costModelFor('stm32h743').estimate(space.toSpec(sample(space.definition, rng), { inputShape: [32, 32, 3], numClasses: 10 }));
    expect(mcu.energyMj / mcu.latencyMs).toBeGreaterThanOrEqual(0.161);
  });
});

describe('the proxy cost model', () => {
  it('counts peak memory over the layer schedule: a residual input stays live, int8 activations take a byte', () => {
    const conv = (filters: number, kernel: number) => ({ op: 'conv2d' as const, filters, kernel, stride: 1, padding: 'same' as const, activation: 'relu6' as const, bias: false });
    const block = (compression?: { weightBits: number; activationBits: number }): ModelSpec => ({ name: 'mb', inputShape: [16, 16, 3], numClasses: 10, nodes: [
      { name: 'stem', layer: conv(8, 3), inputs: ['input'], ...(compression ? { compression } : {}) },
      { name: 'expand', layer: conv(48, 1), inputs: ['stem'], ...(compression ? { compression } : {}) },
      { name: 'dw', layer: { op: 'depthwise', kernel: 3, stride: 1, multiplier: 1, padding: 'same', activation: 'relu6', bias: false }, inputs: ['expand'], ...(compression ? { compression } : {}) },
      { name: 'project', layer: { ...conv(8, 1), activation: 'linear' }, inputs: ['dw'], ...(compression ? { compression } : {}) },
      { name: 'add', layer: { op: 'add' }, inputs: ['stem', 'project'] },
      { name: 'gap', layer: { op: 'gap' }, inputs: ['add'] },
      { name: 'fc', layer: { op: 'dense', units: 10, activation: 'linear', bias: true }, inputs: ['gap'] },
    ] });
    // At the depthwise conv: the stem's output (kept for the add), the expansion and the depthwise output,
    // 16x16 x (8 + 48 + 48) values. The largest input-output pair alone would be 16x16 x 96.
    expect(macProxy.estimate(block()).peakMemoryBytes).toBe(256 * 104 * 4);
    expect(macProxy.estimate(block({ weightBits: 8, activationBits: 8 })).peakMemoryBytes).toBe(256 * 104);
  });
  it('the proxy counts MACs as analyzeSpec and stored bytes as summarizeSpec do, in one pass over the spec', () => {
    for (const name of ['mlp', 'tiny-cnn', 'mobile-cnn', 'nb201']) {
      const space = getBuiltinSpace(name);
      const rng = new Rng(4);
      for (let i = 0; i < 50; i++) {
        const spec = space.toSpec(sample(space.definition, rng), { inputShape: [32, 32, 3], numClasses: 10 });
        const cost = macProxy.estimate(spec);
        const macs = analyzeSpec(spec).reduce((sum, n) => sum + n.macs, 0);
        expect(cost.latencyMs, name).toBeCloseTo(macs / 1e6, 9);
        expect(cost.storedBytes, name).toBe(summarizeSpec(spec).reduce((sum, r) => sum + r.bytes, 0));
      }
    }
  });
});

describe('profile files', () => {
  it('every built-in profile parses and costs a model', () => {
    expect(builtinProfileIds()).toEqual(['arduino-nano33ble', 'coral-edgetpu', 'eyeriss', 'jetson-nano', 'jetson-tx2', 'pixel-3', 'raspberry-pi-4', 'stm32h743']);
    const mlp = getBuiltinSpace('mlp');
    const spec = mlp.toSpec({ ...mlp.presets!['lenet-300-100']!, 'quant.bits': 8, 'quant.mode': 'ptq', 'quant.granularity': 'per-channel', 'quant.activations': 8 }, { inputShape: [28, 28, 1], numClasses: 10 });
    for (const id of builtinProfileIds()) {
      const cost = costModelFor(id).estimate(spec);
      expect(cost.latencyMs, id).toBeGreaterThan(0);
      expect(cost.energyMj, id).toBeGreaterThan(0);
      expect(resolveProfile(id).sources.length, id).toBeGreaterThan(0);
    }
  });
  it.each([
    [{ speed: '1 GOPS' }, /^round.json: speed: unknown field/],
    [{ peak: { fp32: 1e9 } }, /^round.json: peak.fp32: 1000000000 has no unit: write it as a string with its unit, e.g. "1000000000 GOPS"/],
    [{ overhead: '-5us' }, /^round.json: overhead: invalid overhead '-5us': must not be negative/],
    [{ power: -1 }, /^round.json: power: must not be negative, got -1$/],
    [{ peak: { fp32: '0 GOPS', int8: '1 GOPS' } }, /^round.json: peak.fp32: must be more than zero, got '0 GOPS'$/],
    [{ memory: { bandwidth: '0 GB/s', sram: '1MB' } }, /^round.json: memory.bandwidth: must be more than zero, got '0 GB\/s' \(null means no bandwidth roof\)$/],
    [{ memory: { bandwidth: '10 Gbps', sram: '1MB' } }, /^round.json: memory.bandwidth: invalid memory.bandwidth '10 Gbps': unknown unit 'Gbps'/],
    [{ peak: { fp32: '1 GOPS' } }, /^round.json: peak.int8: native precision int8 needs a peak throughput/],
    [{ memory: { bandwidth: '1 GB/s', sram: '1MB', cache: '2MB' } }, /^round.json: memory.cache: unknown field/],
    [{ efficiency: { conv2d: 2, pointwise: 1, depthwise: 1, dense: 1, other: 1 } }, /^round.json: efficiency.conv2d: must be a number in \(0, 1\]/],
    [{ native: { precisions: ['fp32', 'int8'], activationKernels: { gelu: 2 } } }, /^round.json: native.activationKernels.gelu: unknown field/],
    [{ native: { precisions: ['fp32', 'int8'], activationKernels: { hswish: 0.5 } } }, /^round.json: native.activationKernels.hswish: must be a whole number of kernels from 1 to 16/],
    [{ native: { precisions: ['fp32', 'int8'], fusedActivations: ['swish'] } }, /^round.json: native.fusedActivations\[0\]: must be one of relu, relu6, hswish, hsigmoid, sigmoid/],
  ])('rejects %j naming the file and key', (changes, message) => {
    expect(() => profile(changes as Record<string, Json>)).toThrow(message);
  });
  it('writes every number back in a form it reads again, however small', () => {
    const p = { ...profile({ native: { precisions: ['fp32', 'int8'], activationKernels: { hswish: 4 }, fusedActivations: ['relu'] } }), overheadSec: 5e-13, invokeOverheadSec: 1.234567e-14 };
    const back = parseProfile(serializeProfile(p), 'written.json');
    expect(back.overheadSec).toBeCloseTo(5e-13, 18);
    expect(back.invokeOverheadSec).toBeCloseTo(1.23457e-14, 19);
    expect(back.native.activationKernels).toEqual({ hswish: 4 });
    expect(back.native.fusedActivations).toEqual(['relu']);
  });

  it('resolves unknown ids with the list of known ones', () => {
    expect(() => resolveProfile('rpi')).toThrow(/unknown profile 'rpi'/);
  });
});
