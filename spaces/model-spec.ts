/**
 * ModelSpec: the JSON description of a network that a genotype becomes. The tfjs builder
 * (evaluators/build-model.ts) and the hardware cost models (hardware-profiles/) both read
 * it, so a candidate is costed before it is ever built or trained. Nodes are listed in
 * topological order; the last node's output is the logits.
 */
export type Activation = 'linear' | 'relu' | 'relu6' | 'hswish' | 'hsigmoid' | 'sigmoid';
export type Padding = 'same' | 'valid';

export type LayerSpec =
  | { op: 'conv2d'; filters: number; kernel: number; stride: number; padding: Padding; activation: Activation; bias: boolean }
  | { op: 'depthwise'; kernel: number; stride: number; multiplier: number; padding: Padding; activation: Activation; bias: boolean }
  | { op: 'dense'; units: number; activation: Activation; bias: boolean }
  | { op: 'batchnorm' }
  | { op: 'activation'; activation: Activation }
  | { op: 'maxpool' | 'avgpool'; size: number; stride: number; padding: Padding }
  | { op: 'gap' }
  | { op: 'flatten' }
  /** Elementwise sum of all inputs (residuals, NB201 node sums). */
  | { op: 'add' }
  /** inputs[0] scaled per channel by inputs[1] of shape [1, 1, C] (squeeze-excitation). */
  | { op: 'scale' }
  /** Keeps spatial size, reshapes to [1, 1, C] (the squeeze of squeeze-excitation). */
  | { op: 'reshape'; shape: [number, number, number] }
  /** An all-zero tensor shaped like its input: NB201's `none` edge where nothing else feeds a node. */
  | { op: 'zeros' };

/** Compression the cost models should honour for one weight layer. */
export interface LayerCompression {
  /** Bits per stored weight (32 = float32). */
  weightBits?: number;
  /** Bits per activation at run time (32 = float32). */
  activationBits?: number;
  /** Share of weights that are exactly zero (unstructured pruning). */
  sparsity?: number;
  /** Weight-sharing codebook size (clustering). */
  clusters?: number;
  /** Stored weights are Huffman coded. */
  huffman?: boolean;
}

export interface NodeSpec {
  name: string;
  layer: LayerSpec;
  /** Names of earlier nodes, or 'input'. */
  inputs: string[];
  compression?: LayerCompression;
}

export interface ModelSpec {
  name: string;
  inputShape: [number, number, number];
  numClasses: number;
  nodes: NodeSpec[];
}

export const WEIGHT_OPS = ['conv2d', 'depthwise', 'dense'] as const;

/** Whether a layer has weights (and so a compression entry). */
export function isWeightOp(op: LayerSpec['op']): op is typeof WEIGHT_OPS[number] {
  return op === 'conv2d' || op === 'depthwise' || op === 'dense';
}
