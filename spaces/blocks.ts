/**
 * Building blocks the built-in spaces share, emitted as ModelSpec nodes: conv-BN-act,
 * dense layers (factorized when low-rank compression asks for it), MobileNetV2/MnasNet
 * inverted residuals and depthwise-separable blocks with optional squeeze-excitation.
 */
import type { CompressionPlan } from './compression-genes.js';
import type { Activation, ModelSpec, NodeSpec } from './model-spec.js';
import { keptUnits, makeDivisible } from './widths.js';

/** Accumulates nodes; every add* returns the name of the node that holds the result. */
export class SpecBuilder {
  readonly nodes: NodeSpec[] = [];
  /** Weight bits for the layers added from now on (a per-stage gene), null = the plan's. */
  layerBits: number | null = null;
  private readonly bitsOverride = new Map<string, number>();

  constructor(private readonly plan: CompressionPlan) {}

  private push(node: NodeSpec): string {
    this.nodes.push(node);
    if (this.layerBits !== null) this.bitsOverride.set(node.name, this.layerBits);
    return node.name;
  }

  convBnAct(name: string, input: string, filters: number, kernel: number, stride: number, activation: Activation): string {
    const conv = this.push({ name, layer: { op: 'conv2d', filters, kernel, stride, padding: 'same', activation: 'linear', bias: false }, inputs: [input] });
    const bn = this.push({ name: `${name}_bn`, layer: { op: 'batchnorm' }, inputs: [conv] });
    return activation === 'linear' ? bn : this.push({ name: `${name}_act`, layer: { op: 'activation', activation }, inputs: [bn] });
  }

  /**
   * A 1x1 convolution, factorized into two (rank r, then full width) when low-rank
   * compression is on and the factorization is actually smaller.
   */
  pointwise(name: string, input: string, inChannels: number, filters: number, activation: Activation): string {
    const rank = lowRank(inChannels, filters, this.plan.lowRank);
    let source = input;
    if (rank !== null) {
      source = this.push({ name: `${name}_lr`, layer: { op: 'conv2d', filters: rank, kernel: 1, stride: 1, padding: 'same', activation: 'linear', bias: false }, inputs: [input] });
    }
    const conv = this.push({ name, layer: { op: 'conv2d', filters, kernel: 1, stride: 1, padding: 'same', activation: 'linear', bias: false }, inputs: [source] });
    const bn = this.push({ name: `${name}_bn`, layer: { op: 'batchnorm' }, inputs: [conv] });
    return activation === 'linear' ? bn : this.push({ name: `${name}_act`, layer: { op: 'activation', activation }, inputs: [bn] });
  }

  depthwiseBnAct(name: string, input: string, kernel: number, stride: number, activation: Activation): string {
    const dw = this.push({ name, layer: { op: 'depthwise', kernel, stride, multiplier: 1, padding: 'same', activation: 'linear', bias: false }, inputs: [input] });
    const bn = this.push({ name: `${name}_bn`, layer: { op: 'batchnorm' }, inputs: [dw] });
    return this.push({ name: `${name}_act`, layer: { op: 'activation', activation }, inputs: [bn] });
  }

  dense(name: string, input: string, fanIn: number, units: number, activation: Activation): string {
    const rank = lowRank(fanIn, units, this.plan.lowRank);
    let source = input;
    if (rank !== null) source = this.push({ name: `${name}_lr`, layer: { op: 'dense', units: rank, activation: 'linear', bias: false }, inputs: [input] });
    return this.push({ name, layer: { op: 'dense', units, activation, bias: true }, inputs: [source] });
  }

  /** Squeeze-excitation (MobileNetV3 form): GAP, 1x1 reduce (relu), 1x1 expand (hard sigmoid), scale. */
  squeezeExcite(name: string, input: string, channels: number, reduction = 4): string {
    const squeeze = this.push({ name: `${name}_squeeze`, layer: { op: 'gap' }, inputs: [input] });
    const shaped = this.push({ name: `${name}_shape`, layer: { op: 'reshape', shape: [1, 1, channels] }, inputs: [squeeze] });
    const reduced = makeDivisible(channels / reduction, 8);
    const r = this.push({ name: `${name}_reduce`, layer: { op: 'conv2d', filters: reduced, kernel: 1, stride: 1, padding: 'same', activation: 'relu', bias: true }, inputs: [shaped] });
    const e = this.push({ name: `${name}_expand`, layer: { op: 'conv2d', filters: channels, kernel: 1, stride: 1, padding: 'same', activation: 'hsigmoid', bias: true }, inputs: [r] });
    return this.push({ name, layer: { op: 'scale' }, inputs: [input, e] });
  }

  /**
   * Inverted residual (MobileNetV2): 1x1 expand, kxk depthwise, optional SE, 1x1 linear
   * project, residual add when shapes allow. Expansion 1 skips the expand conv.
   * Structured pruning thins the expanded (internal) width, which no residual depends on.
   */
  invertedResidual(name: string, input: string, inChannels: number, outChannels: number,
    opts: { kernel: number; stride: number; expansion: number; se: boolean; activation: Activation }): string {
    const hidden = keptUnits(makeDivisible(inChannels * opts.expansion, 8), this.plan.channelPruning);
    let x = input;
    if (opts.expansion !== 1) x = this.pointwise(`${name}_expand`, x, inChannels, hidden, opts.activation);
    const width = opts.expansion !== 1 ? hidden : inChannels;
    x = this.depthwiseBnAct(`${name}_dw`, x, opts.kernel, opts.stride, opts.activation);
    if (opts.se) x = this.squeezeExcite(`${name}_se`, x, width);
    x = this.pointwise(`${name}_project`, x, width, outChannels, 'linear');
    if (opts.stride === 1 && inChannels === outChannels) x = this.push({ name: `${name}_add`, layer: { op: 'add' }, inputs: [x, input] });
    return x;
  }

  /** Depthwise-separable block: kxk depthwise, optional SE, 1x1 pointwise with activation. */
  separable(name: string, input: string, inChannels: number, outChannels: number,
    opts: { kernel: number; stride: number; se: boolean; activation: Activation }): string {
    let x = this.depthwiseBnAct(`${name}_dw`, input, opts.kernel, opts.stride, opts.activation);
    if (opts.se) x = this.squeezeExcite(`${name}_se`, x, inChannels);
    return this.pointwise(`${name}_pw`, x, inChannels, outChannels, opts.activation);
  }

  /** Marks every weight layer with the plan's storage and run-time precision. */
  finish(name: string, inputShape: [number, number, number], numClasses: number): ModelSpec {
    for (const node of this.nodes) {
      const op = node.layer.op;
      if (op !== 'conv2d' && op !== 'depthwise' && op !== 'dense') continue;
      // Weight sharing gives every layer one codebook, so per-stage bits apply without it only.
      node.compression = {
        weightBits: this.plan.clusters > 0 ? Math.ceil(Math.log2(this.plan.clusters)) : this.bitsOverride.get(node.name) ?? this.plan.weightBits,
        activationBits: this.plan.activationBits,
        sparsity: this.plan.sparsity,
        ...(this.plan.clusters > 0 ? { clusters: this.plan.clusters } : {}),
        huffman: this.plan.huffman,
      };
    }
    return { name, inputShape, numClasses, nodes: this.nodes };
  }
}

/** The rank a low-rank factorization keeps, or null when it would not shrink the layer. */
export function lowRank(fanIn: number, units: number, fraction: number): number | null {
  if (fraction >= 1) return null;
  const rank = Math.max(1, Math.round(fraction * Math.min(fanIn, units)));
  return rank * (fanIn + units) < fanIn * units ? rank : null;
}
