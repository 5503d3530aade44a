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
import { analyzeSpec, type NodeAnalysis } from '../spaces/analyze.js';
import type { LayerSpec, ModelSpec } from '../spaces/model-spec.js';
import { summarizeSpec } from '../spaces/summary.js';
import type { Cost, CostModel } from './cost-model.js';
import { peakActivationBytes } from './memory.js';
import { PRECISION_BITS, type LayerKind, type Precision, type Profile } from './profile.js';

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

const kindOf = (op: LayerSpec['op']): LayerKind => (op === 'conv2d' || op === 'depthwise' || op === 'dense' ? op : 'other');

/** The precision a layer executes in: the narrowest native one at least as wide as its operands. */
export function executedPrecision(profile: Profile, weightBits: number, activationBits: number): Precision {
  const need = Math.max(weightBits, activationBits);
  const natives = [...profile.native.precisions].sort((a, b) => PRECISION_BITS[a] - PRECISION_BITS[b] || (a.startsWith('fp') ? -1 : 1));
  // Float operands need a float unit unless they are quantized to integers (<= 16 bits).
  const fits = natives.filter((p) => PRECISION_BITS[p] >= need && (need > 16 ? p === 'fp32' : true));
  return fits[0] ?? natives[natives.length - 1]!;
}

export function createCostModel(profile: Profile): CostModel & { estimateDetailed(spec: ModelSpec): DetailedCost } {
  const estimateDetailed = (spec: ModelSpec): DetailedCost => {
    const analysis = analyzeSpec(spec);
    const byName = new Map(spec.nodes.map((n) => [n.name, n]));
    const layers: LayerCost[] = [];
    let activationBits = 32;
    let quantizedEverywhere = true;
    for (const a of analysis) {
      const node = byName.get(a.name)!;
      const op = node.layer.op;
      // Batch norm folds into the conv before it and activations fuse into it at inference.
      if (op === 'batchnorm' || op === 'activation' || op === 'flatten' || op === 'reshape') continue;
      const c = node.compression ?? {};
      const weightBits = c.weightBits ?? 32, actBits = c.activationBits ?? 32;
      activationBits = Math.min(activationBits, actBits);
      const kind = kindOf(op);
      const hasWeights = kind !== 'other';
      if (hasWeights && (weightBits > 8 || actBits > 8)) quantizedEverywhere = false;
      const precision = executedPrecision(profile, hasWeights ? weightBits : actBits, actBits);
      const sparsity = c.sparsity ?? 0;
      const skipsZeros = profile.native.unstructuredSparsity && sparsity >= profile.native.minSparsity && sparsity > 0;
      const macs = hasWeights ? a.macs * (skipsZeros ? 1 - sparsity : 1) : 0;
      // Elementwise and pooling layers do about one operation per input element.
      const ops = hasWeights ? 2 * macs : a.inputShapes.reduce((s, [h, w, ch]) => s + h * w * ch, 0);
      const throughput = profile.peakOpsPerSec[precision]! * profile.efficiency[kind];
      const weightBytes = hasWeights ? (a.weightShape!.reduce((p, d) => p * d, 1) * (1 - sparsity) * (weightBits + (sparsity > 0 ? 4 : 0))) / 8 : 0;
      const activationBytes = (a.inputShapes.reduce((s, [h, w, ch]) => s + h * w * ch, 0) + a.outputElements) * Math.min(actBits, PRECISION_BITS[precision]) / 8;
      const bytesMoved = weightBytes + activationBytes;
      const computeSec = ops / throughput;
      const memorySec = profile.memory.bandwidthBytesPerSec === null ? 0 : bytesMoved / profile.memory.bandwidthBytesPerSec;
      const latencySec = Math.max(computeSec, memorySec) + profile.overheadSec;
      const macPj = profile.energy.perMacPj[precision] ?? profile.energy.perMacPj.fp32 ?? 0;
      const weightsFromDram = profile.memory.sramBytes !== null && weightBytes > 0 && profile.memory.limits === 'soft' && profile.memory.dramBytes !== null
        && weightBytes > profile.memory.sramBytes;
      const bytePj = (weightsFromDram ? weightBytes * profile.energy.perBytePj.dram : weightBytes * profile.energy.perBytePj.sram)
        + activationBytes * profile.energy.perBytePj.sram;
      const energyMj = (macs * macPj + (hasWeights ? 0 : ops * macPj / 2) + bytePj) * 1e-9;
      layers.push({ name: a.name, kind, precision, macs, latencyMs: latencySec * 1000, energyMj, bytesMoved });
    }
    const storedBytes = summarizeSpec(spec).reduce((s, r) => s + r.bytes, 0);
    const peakMemoryBytes = peakActivationBytes(spec, analysis as NodeAnalysis[], activationBits / 8);
    const violations: string[] = [];
    if (profile.native.requiresQuantization && !quantizedEverywhere) {
      violations.push(`${profile.id} runs only ${profile.native.precisions.join('/')} models: quantize weights and activations to 8 bits`);
    }
    if (profile.memory.limits === 'hard') {
      const sram = profile.memory.sramBytes, flash = profile.memory.flashBytes;
      if (sram !== null && peakMemoryBytes > sram) violations.push(`peak activation memory ${kib(peakMemoryBytes)} exceeds ${profile.id}'s SRAM ${kib(sram)} by ${kib(peakMemoryBytes - sram)}`);
      if (flash !== null && storedBytes > flash) violations.push(`stored weights ${kib(storedBytes)} exceed ${profile.id}'s flash ${kib(flash)} by ${kib(storedBytes - flash)}`);
    }
    return {
      profile: profile.id,
      latencyMs: layers.reduce((s, l) => s + l.latencyMs, 0),
      energyMj: layers.reduce((s, l) => s + l.energyMj, 0),
      peakMemoryBytes, storedBytes, violations, layers,
    };
  };
  return { profile: profile.id, estimate: (spec) => estimateDetailed(spec), estimateDetailed };
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
