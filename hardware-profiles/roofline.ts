/**
 * The roofline cost model: per layer, the time to compute its MACs at the layer kind's
 * effective throughput for the precision it executes in, or to move its bytes at the
 * memory bandwidth, whichever is longer, plus a per-kernel overhead; energy is MACs times
 * the energy of a MAC at that precision plus bytes times the energy of a byte at the
 * memory level they come from. Pure and synchronous: a candidate is costed before it is
 * built.
 *
 * Compression counts only where the hardware honours it: pruned channels and low rank are
 * already smaller layers in the spec; zero weights skip MACs only on devices with sparse
 * kernels (at or above their threshold); a weight narrower than the narrowest native
 * precision is stored small (less memory traffic, fewer stored bytes) but computed at that
 * native precision: a 4-bit weight on an int8 device runs at int8 speed.
 */
import type { LayerSpec, ModelSpec } from '../spaces/model-spec.js';
import type { Cost, CostModel } from './cost-model.js';
import { specGraph, type SpecGraph } from './graph.js';
import { peakActivationBytesOf } from './memory.js';
import { LAYER_KINDS, PRECISION_BITS, type LayerKind, type Precision, type Profile } from './profile.js';

export interface LayerCost {
  name: string;
  kind: LayerKind;
  precision: Precision;
  macs: number;
  latencyMs: number;
  energyMj: number;
  bytesMoved: number;
}

export interface DetailedCost extends Cost { layers: LayerCost[] }

export const kindOf = (layer: LayerSpec): LayerKind =>
  (layer.op === 'conv2d' ? (layer.kernel === 1 ? 'pointwise' : 'conv2d') : layer.op === 'depthwise' || layer.op === 'dense' ? layer.op : 'other');

/** The precision a layer executes in: the narrowest native one at least as wide as its operands. */
export function executedPrecision(profile: Profile, weightBits: number, activationBits: number): Precision {
  const need = Math.max(weightBits, activationBits);
  const natives = [...profile.native.precisions].sort((a, b) => PRECISION_BITS[a] - PRECISION_BITS[b] || (a.startsWith('fp') ? -1 : 1));
  // Float operands need a float unit unless they are quantized to integers (<= 16 bits).
  const fits = natives.filter((p) => PRECISION_BITS[p] >= need && (need > 16 ? p === 'fp32' : true));
  return fits[0] ?? natives[natives.length - 1]!;
}

/**
 * Which nodes a deployed graph really computes: compilers fold constants (an all-zero
 * branch, NB201's 'none', and anything computed only from zeros) and drop nodes whose
 * result reaches the output only through such constants. HW-NAS-Bench's measurements show
 * it: a cell whose output node has only 'none' inputs makes the whole network ~0.01 ms.
 */
export function computedNodes(spec: ModelSpec, foldsConstants = true, graph: SpecGraph = specGraph(spec)): boolean[] {
  const n = spec.nodes.length;
  // Without folding every node but the zero branches themselves runs.
  if (!foldsConstants) return spec.nodes.map((node) => node.layer.op !== 'zeros');
  const constant = new Array<boolean>(n + 1).fill(false);
  for (let i = 0; i < n; i++) {
    let all = spec.nodes[i]!.layer.op === 'zeros';
    if (!all) {
      all = true;
      for (let k = graph.inputStart[i]!; k < graph.inputStart[i + 1]!; k++) if (!constant[graph.inputs[k]!]) { all = false; break; }
    }
    constant[i + 1] = all;
  }
  const needed = new Array<boolean>(n).fill(false);
  needed[n - 1] = !constant[n]!;
  for (let i = n - 1; i >= 0; i--) {
    if (!needed[i]) continue;
    for (let k = graph.inputStart[i]!; k < graph.inputStart[i + 1]!; k++) {
      const t = graph.inputs[k]!;
      if (t > 0 && !constant[t]) needed[t - 1] = true;
    }
  }
  return needed;
}

interface Precomputed { throughput: Record<LayerKind, Record<Precision, number>>; macPj: Record<Precision, number>; overhead: Record<LayerKind, number> }

function precompute(profile: Profile): Precomputed {
  const throughput = {} as Precomputed['throughput'];
  const macPj = {} as Record<Precision, number>;
  for (const kind of LAYER_KINDS) {
    throughput[kind] = {} as Record<Precision, number>;
    for (const p of profile.native.precisions) throughput[kind][p] = profile.peakOpsPerSec[p]! * profile.efficiency[kind];
  }
  for (const p of ['fp32', 'fp16', 'int16', 'int8'] as const) macPj[p] = profile.energy.perMacPj[p] ?? profile.energy.perMacPj.fp32 ?? 0;
  const overhead = Object.fromEntries(LAYER_KINDS.map((k) => [k, profile.overheadPerKindSec[k] ?? profile.overheadSec])) as Record<LayerKind, number>;
  return { throughput, macPj, overhead };
}

export function createCostModel(profile: Profile): CostModel & { estimateDetailed(spec: ModelSpec): DetailedCost } {
  const pre = precompute(profile);
  const precisionCache = new Map<number, Precision>();
  const precisionFor = (weightBits: number, activationBits: number): Precision => {
    const key = weightBits * 64 + activationBits;
    let p = precisionCache.get(key);
    if (p === undefined) { p = executedPrecision(profile, weightBits, activationBits); precisionCache.set(key, p); }
    return p;
  };
  const bandwidth = profile.memory.bandwidthBytesPerSec;
  const sram = profile.memory.sramBytes;
  const dramWeights = profile.memory.limits === 'soft' && profile.memory.dramBytes !== null && sram !== null;

  // One pass over the analysed nodes; per-layer records only when asked (hwnas show, tests).
  const run = (spec: ModelSpec, layers: LayerCost[] | null): DetailedCost => {
    const g = specGraph(spec);
    const nodes = spec.nodes;
    const computed = computedNodes(spec, profile.native.foldsConstants, g);
    let latencySec = 0, energyPj = 0, storedBytes = 0;
    let activationBits = 32;
    let quantizedEverywhere = true;
    for (let i = 0; i < g.n; i++) {
      const node = nodes[i]!;
      const op = node.layer.op;
      const c = node.compression;
      const weightBits = c?.weightBits ?? 32, actBits = c?.activationBits ?? 32, sparsity = c?.sparsity ?? 0;
      const kind = kindOf(node.layer);
      const hasWeights = kind !== 'other';
      const weights = g.weights[i]!;
      if (hasWeights) {
        // As summarizeSpec estimates it: nonzeros at their width plus 4-bit relative indices when sparse, biases in float32.
        storedBytes += Math.ceil(Math.round(weights * (1 - sparsity)) * (weightBits + (sparsity > 0 ? 4 : 0)) / 8) + (g.params[i]! - weights) * 4;
        if (weightBits > 8 || actBits > 8) quantizedEverywhere = false;
      }
      // Flatten and reshape are free; batch norm and activations fuse away where the runtime fuses them.
      if (!computed[i] || op === 'flatten' || op === 'reshape' || (profile.native.fusesLayers && (op === 'batchnorm' || op === 'activation'))) continue;
      if (actBits < activationBits) activationBits = actBits;
      const precision = precisionFor(hasWeights ? weightBits : actBits, actBits);
      const inputElements = g.inputElements[i]!;
      const outputElements = g.h[i + 1]! * g.w[i + 1]! * g.c[i + 1]!;
      const skipsZeros = profile.native.unstructuredSparsity && sparsity > 0 && sparsity >= profile.native.minSparsity;
      const macs = hasWeights ? g.macs[i]! * (skipsZeros ? 1 - sparsity : 1) : 0;
      // Elementwise and pooling layers do about one operation per input element.
      const ops = hasWeights ? 2 * macs : inputElements;
      const weightBytes = hasWeights ? weights * (1 - sparsity) * (weightBits + (sparsity > 0 ? 4 : 0)) / 8 : 0;
      const precisionBits = PRECISION_BITS[precision];
      const activationBytes = (inputElements + outputElements) * (actBits < precisionBits ? actBits : precisionBits) / 8;
      const bytesMoved = weightBytes + activationBytes;
      const computeSec = ops / pre.throughput[kind][precision];
      const memorySec = bandwidth === null ? 0 : bytesMoved / bandwidth;
      const layerSec = (computeSec > memorySec ? computeSec : memorySec) + pre.overhead[kind];
      const weightPj = dramWeights && weightBytes > sram! ? weightBytes * profile.energy.perBytePj.dram : weightBytes * profile.energy.perBytePj.sram;
      const layerPj = (hasWeights ? macs : ops / 2) * pre.macPj[precision] + weightPj + activationBytes * profile.energy.perBytePj.sram;
      latencySec += layerSec;
      energyPj += layerPj;
      layers?.push({ name: node.name, kind, precision, macs, latencyMs: layerSec * 1000, energyMj: layerPj * 1e-9, bytesMoved });
    }
    const peakMemoryBytes = peakActivationBytesOf(spec, g, activationBits / 8);
    const violations: string[] = [];
    if (profile.native.requiresQuantization && !quantizedEverywhere) {
      violations.push(`${profile.id} runs only ${profile.native.precisions.join('/')} models: quantize weights and activations to 8 bits`);
    }
    if (profile.memory.limits === 'hard') {
      const flash = profile.memory.flashBytes;
      if (sram !== null && peakMemoryBytes > sram) violations.push(`peak activation memory ${kib(peakMemoryBytes)} exceeds ${profile.id}'s SRAM ${kib(sram)} by ${kib(peakMemoryBytes - sram)}`);
      if (flash !== null && storedBytes > flash) violations.push(`stored weights ${kib(storedBytes)} exceed ${profile.id}'s flash ${kib(flash)} by ${kib(storedBytes - flash)}`);
    }
    return { profile: profile.id, latencyMs: latencySec * 1000, energyMj: energyPj * 1e-9, peakMemoryBytes, storedBytes, violations, layers: layers ?? [] };
  };
  return {
    profile: profile.id,
    estimate: (spec) => run(spec, null),
    estimateDetailed: (spec) => run(spec, []),
  };
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
