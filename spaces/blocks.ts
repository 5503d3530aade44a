/**
 * Building blocks the built-in spaces share, emitted as ModelSpec nodes: conv-BN-act,
 * dense layers (factorized when low-rank compression asks for it), MobileNetV2/MnasNet
 * inverted residuals and depthwise-separable blocks with optional squeeze-excitation.
 */
import { NO_COMPRESSION, type CompressionPlan } from './compression-genes.js';
import { isWeightOp, type Activation, type ModelSpec, type NodeSpec, type Padding } from './model-spec.js';
import { ACTIVATION_CODE, flagsOf, keepPacked, OP, PackedWriter } from './packed-spec.js';
import { keptUnits, makeDivisible } from './widths.js';

/** A node's output, as the cost models number tensors: 0 is the input, i + 1 is node i's output. */
export type Tensor = number;
export const INPUT: Tensor = 0;

/**
 * Accumulates nodes, and their packed form (packed-spec.ts) as it goes, so the cost models
 * never read them back; every method returns the tensor that holds its result.
 */
export class SpecBuilder {
  readonly nodes: NodeSpec[] = [];
  /** Weight bits for the layers added from now on (a per-stage gene), null = the plan's. */
  layerBits: number | null = null;
  private readonly bitsOf: Array<number | null> = [];
  private readonly packed = new PackedWriter();

  constructor(private readonly plan: CompressionPlan = NO_COMPRESSION) {}

  nameOf(t: Tensor): string { return t === INPUT ? 'input' : this.nodes[t - 1]!.name; }

  // One method per layer: each makes the node's object and its packed record from the same arguments.
  conv(name: string, input: Tensor, filters: number, kernel: number, stride: number, activation: Activation = 'linear', bias = false): Tensor {
    this.push({ name, layer: { op: 'conv2d', filters, kernel, stride, padding: 'same', activation, bias }, inputs: [this.nameOf(input)] });
    this.packed.record(OP.conv2d, ACTIVATION_CODE[activation], filters, kernel, stride, flagsOf(true, bias), input);
    return this.nodes.length;
  }

  depthwise(name: string, input: Tensor, kernel: number, stride: number): Tensor {
    this.push({ name, layer: { op: 'depthwise', kernel, stride, multiplier: 1, padding: 'same', activation: 'linear', bias: false }, inputs: [this.nameOf(input)] });
    this.packed.record(OP.depthwise, 0, 1, kernel, stride, flagsOf(true, false), input);
    return this.nodes.length;
  }

  denseLayer(name: string, input: Tensor, units: number, activation: Activation, bias: boolean): Tensor {
    this.push({ name, layer: { op: 'dense', units, activation, bias }, inputs: [this.nameOf(input)] });
    this.packed.record(OP.dense, ACTIVATION_CODE[activation], units, 0, 0, flagsOf(false, bias), input);
    return this.nodes.length;
  }

  batchnorm(name: string, input: Tensor): Tensor { return this.plain(name, 'batchnorm', input); }

  activation(name: string, input: Tensor, activation: Activation): Tensor {
    this.push({ name, layer: { op: 'activation', activation }, inputs: [this.nameOf(input)] });
    this.packed.record(OP.activation, ACTIVATION_CODE[activation], 0, 0, 0, 0, input);
    return this.nodes.length;
  }

  pool(name: string, input: Tensor, op: 'maxpool' | 'avgpool', size: number, stride: number, padding: Padding): Tensor {
    this.push({ name, layer: { op, size, stride, padding }, inputs: [this.nameOf(input)] });
    this.packed.record(OP[op], 0, size, size, stride, flagsOf(padding === 'same', false), input);
    return this.nodes.length;
  }

  /** A layer without parameters over one input: batch norm, global average pooling, flatten, or NB201's all-zero node. */
  plain(name: string, op: 'batchnorm' | 'gap' | 'flatten' | 'zeros', input: Tensor): Tensor {
    this.push({ name, layer: { op }, inputs: [this.nameOf(input)] });
    this.packed.record(OP[op], 0, 0, 0, 0, 0, input);
    return this.nodes.length;
  }

  reshape(name: string, input: Tensor, shape: [number, number, number]): Tensor {
    this.push({ name, layer: { op: 'reshape', shape }, inputs: [this.nameOf(input)] });
    this.packed.record(OP.reshape, 0, shape[0], shape[1], shape[2], 0, input);
    return this.nodes.length;
  }

  /** An elementwise sum, or a per-channel scale (inputs: the tensor, then the [1, 1, C] scales). */
  join(name: string, op: 'add' | 'scale', inputs: Tensor[]): Tensor {
    this.push({ name, layer: { op }, inputs: inputs.map((t) => this.nameOf(t)) });
    this.packed.header(OP[op], 0, 0, 0, 0, 0, inputs.length);
    for (const t of inputs) this.packed.input(t);
    return this.nodes.length;
  }

  private push(node: NodeSpec): void {
    this.nodes.push(node);
    this.bitsOf.push(this.layerBits);
  }

  convBnAct(name: string, input: Tensor, filters: number, kernel: number, stride: number, activation: Activation): Tensor {
    const bn = this.batchnorm(`${name}_bn`, this.conv(name, input, filters, kernel, stride));
    return activation === 'linear' ? bn : this.activation(`${name}_act`, bn, activation);
  }

  /**
   * A 1x1 convolution, factorized into two (rank r, then full width) when low-rank
   * compression is on and the factorization is actually smaller.
   */
  pointwise(name: string, input: Tensor, inChannels: number, filters: number, activation: Activation): Tensor {
    const rank = lowRank(inChannels, filters, this.plan.lowRank);
    let source = input;
    if (rank !== null) source = this.conv(`${name}_lr`, input, rank, 1, 1);
    const bn = this.batchnorm(`${name}_bn`, this.conv(name, source, filters, 1, 1));
    return activation === 'linear' ? bn : this.activation(`${name}_act`, bn, activation);
  }

  depthwiseBnAct(name: string, input: Tensor, kernel: number, stride: number, activation: Activation): Tensor {
    const bn = this.batchnorm(`${name}_bn`, this.depthwise(name, input, kernel, stride));
    return this.activation(`${name}_act`, bn, activation);
  }

  dense(name: string, input: Tensor, fanIn: number, units: number, activation: Activation): Tensor {
    const rank = lowRank(fanIn, units, this.plan.lowRank);
    let source = input;
    if (rank !== null) source = this.denseLayer(`${name}_lr`, input, rank, 'linear', false);
    return this.denseLayer(name, source, units, activation, true);
  }

  /** Squeeze-excitation (MobileNetV3 form): GAP, 1x1 reduce (relu), 1x1 expand (hard sigmoid), scale. */
  squeezeExcite(name: string, input: Tensor, channels: number, reduction = 4): Tensor {
    const shaped = this.reshape(`${name}_shape`, this.plain(`${name}_squeeze`, 'gap', input), [1, 1, channels]);
    const reduced = this.conv(`${name}_reduce`, shaped, makeDivisible(channels / reduction, 8), 1, 1, 'relu', true);
    const expanded = this.conv(`${name}_expand`, reduced, channels, 1, 1, 'hsigmoid', true);
    return this.join(name, 'scale', [input, expanded]);
  }

  /**
   * Inverted residual (MobileNetV2): 1x1 expand, kxk depthwise, optional SE, 1x1 linear
   * project, residual add when shapes allow. Expansion 1 skips the expand conv.
   * Structured pruning thins the expanded (internal) width, which no residual depends on.
   */
  invertedResidual(name: string, input: Tensor, inChannels: number, outChannels: number,
    opts: { kernel: number; stride: number; expansion: number; se: boolean; activation: Activation }): Tensor {
    const hidden = keptUnits(makeDivisible(inChannels * opts.expansion, 8), this.plan.channelPruning);
    let x = input;
    if (opts.expansion !== 1) x = this.pointwise(`${name}_expand`, x, inChannels, hidden, opts.activation);
    const width = opts.expansion !== 1 ? hidden : inChannels;
    x = this.depthwiseBnAct(`${name}_dw`, x, opts.kernel, opts.stride, opts.activation);
    if (opts.se) x = this.squeezeExcite(`${name}_se`, x, width);
    x = this.pointwise(`${name}_project`, x, width, outChannels, 'linear');
    if (opts.stride === 1 && inChannels === outChannels) x = this.join(`${name}_add`, 'add', [x, input]);
    return x;
  }

  /** Depthwise-separable block: kxk depthwise, optional SE, 1x1 pointwise with activation. */
  separable(name: string, input: Tensor, inChannels: number, outChannels: number,
    opts: { kernel: number; stride: number; se: boolean; activation: Activation }): Tensor {
    let x = this.depthwiseBnAct(`${name}_dw`, input, opts.kernel, opts.stride, opts.activation);
    if (opts.se) x = this.squeezeExcite(`${name}_se`, x, inChannels);
    return this.pointwise(`${name}_pw`, x, inChannels, outChannels, opts.activation);
  }

  /** Marks every weight layer with the plan's storage and run-time precision. */
  finish(name: string, inputShape: [number, number, number], numClasses: number): ModelSpec {
    const plan = this.plan;
    this.nodes.forEach((node, i) => {
      if (!isWeightOp(node.layer.op)) return;
      // Weight sharing gives every layer one codebook, so per-stage bits apply without it only.
      const weightBits = plan.clusters > 0 ? Math.ceil(Math.log2(plan.clusters)) : this.bitsOf[i] ?? plan.weightBits;
      node.compression = {
        weightBits, activationBits: plan.activationBits, sparsity: plan.sparsity,
        ...(plan.clusters > 0 ? { clusters: plan.clusters } : {}),
        huffman: plan.huffman,
      };
      this.packed.compression(weightBits, plan.activationBits, plan.sparsity);
    });
    return this.spec(name, inputShape, numClasses);
  }

  /**
   * The spec as built, without marking compression (networks that are never compressed).
   * Its node list is frozen: the packed form kept beside it describes these nodes, so
   * changing the list in place throws; a changed copy (`{ ...spec, nodes: [...] }`) is costed afresh.
   */
  spec(name: string, inputShape: [number, number, number], numClasses: number): ModelSpec {
    Object.freeze(this.nodes);
    const spec: ModelSpec = { name, inputShape, numClasses, nodes: this.nodes };
    keepPacked(spec, this.packed.finish());
    return spec;
  }
}

/** The rank a low-rank factorization keeps, or null when it would not shrink the layer. */
export function lowRank(fanIn: number, units: number, fraction: number): number | null {
  if (fraction >= 1) return null;
  const rank = Math.max(1, Math.round(fraction * Math.min(fanIn, units)));
  return rank * (fanIn + units) < fanIn * units ? rank : null;
}
