/**
 * Shapes, multiply-accumulates and parameter counts of every node of a ModelSpec: a pure
 * function, so searches cost candidates without tfjs. Shapes are [H, W, C] (no batch);
 * a dense layer's output is [1, 1, units].
 */
import type { LayerSpec, ModelSpec, NodeSpec } from './model-spec.js';

export type Shape3 = [number, number, number];

export interface NodeAnalysis {
  name: string;
  op: LayerSpec['op'];
  inputShapes: Shape3[];
  outputShape: Shape3;
  /** Multiply-accumulates of one forward pass (batch 1). */
  macs: number;
  /** Weights and biases (batchnorm: its 2 trained vectors; moving statistics excluded). */
  params: number;
  /** Elements of the output activation. */
  outputElements: number;
  weightShape?: number[];
}

function convOut(size: number, kernel: number, stride: number, padding: 'same' | 'valid'): number {
  return padding === 'same' ? Math.ceil(size / stride) : Math.floor((size - kernel) / stride) + 1;
}

function analyzeNode(node: NodeSpec, inputs: Shape3[]): Omit<NodeAnalysis, 'name' | 'op' | 'inputShapes' | 'outputElements'> {
  const [h, w, c] = inputs[0]!;
  const layer = node.layer;
  switch (layer.op) {
    case 'conv2d': {
      const oh = convOut(h, layer.kernel, layer.stride, layer.padding), ow = convOut(w, layer.kernel, layer.stride, layer.padding);
      const weights = layer.kernel * layer.kernel * c * layer.filters;
      return { outputShape: [oh, ow, layer.filters], macs: oh * ow * weights, params: weights + (layer.bias ? layer.filters : 0),
        weightShape: [layer.kernel, layer.kernel, c, layer.filters] };
    }
    case 'depthwise': {
      const oh = convOut(h, layer.kernel, layer.stride, layer.padding), ow = convOut(w, layer.kernel, layer.stride, layer.padding);
      const out = c * layer.multiplier;
      const weights = layer.kernel * layer.kernel * out;
      return { outputShape: [oh, ow, out], macs: oh * ow * weights, params: weights + (layer.bias ? out : 0),
        weightShape: [layer.kernel, layer.kernel, c, layer.multiplier] };
    }
    case 'dense': {
      if (h !== 1 || w !== 1) throw new Error(`${node.name}: a dense layer needs a flatten or gap before it (input is [${h},${w},${c}])`);
      const fanIn = c;
      return { outputShape: [1, 1, layer.units], macs: fanIn * layer.units, params: fanIn * layer.units + (layer.bias ? layer.units : 0),
        weightShape: [fanIn, layer.units] };
    }
    case 'batchnorm':
      return { outputShape: [h, w, c], macs: h * w * c, params: 2 * c };
    case 'activation':
    case 'zeros':
      return { outputShape: [h, w, c], macs: 0, params: 0 };
    case 'maxpool':
    case 'avgpool': {
      const oh = convOut(h, layer.size, layer.stride, layer.padding), ow = convOut(w, layer.size, layer.stride, layer.padding);
      return { outputShape: [oh, ow, c], macs: layer.op === 'avgpool' ? oh * ow * c * layer.size * layer.size : 0, params: 0 };
    }
    case 'gap':
      return { outputShape: [1, 1, c], macs: h * w * c, params: 0 };
    case 'flatten':
      return { outputShape: [1, 1, h * w * c], macs: 0, params: 0 };
    case 'add':
      return { outputShape: [h, w, c], macs: h * w * c * (inputs.length - 1), params: 0 };
    case 'scale':
      return { outputShape: [h, w, c], macs: h * w * c, params: 0 };
    case 'reshape':
      return { outputShape: layer.shape, macs: 0, params: 0 };
  }
}

/** Analyses every node in order; throws on a dangling input or mismatched shapes. */
export function analyzeSpec(spec: ModelSpec): NodeAnalysis[] {
  const shapes = new Map<string, Shape3>([['input', spec.inputShape]]);
  const out: NodeAnalysis[] = [];
  for (const node of spec.nodes) {
    if (shapes.has(node.name)) throw new Error(`${spec.name}: node name '${node.name}' is used twice`);
    if (node.inputs.length === 0) throw new Error(`${spec.name}.${node.name}: a node needs at least one input`);
    const inputShapes = node.inputs.map((name) => {
      const shape = shapes.get(name);
      if (shape === undefined) throw new Error(`${spec.name}.${node.name}: input '${name}' is not an earlier node`);
      return shape;
    });
    const first = inputShapes[0]!;
    if (node.layer.op === 'add' && inputShapes.some((s) => s[0] !== first[0] || s[1] !== first[1] || s[2] !== first[2])) {
      throw new Error(`${spec.name}.${node.name}: add of mismatched shapes ${inputShapes.map((s) => `[${s}]`).join(' + ')}`);
    }
    const result = analyzeNode(node, inputShapes);
    // A weight layer without weights (a kernel, filters, units or multiplier of 0) computes nothing a model could use.
    if (result.weightShape !== undefined && !result.weightShape.every((d) => d > 0)) {
      throw new Error(`${spec.name}.${node.name}: ${node.layer.op} has no weights (weight shape [${result.weightShape}]); its kernel, filters, units and multiplier must be at least 1`);
    }
    const [h, w, c] = result.outputShape;
    if (!(h > 0 && w > 0 && c > 0)) throw new Error(`${spec.name}.${node.name}: output shape [${result.outputShape}] is empty (input too small for its kernels and strides)`);
    shapes.set(node.name, result.outputShape);
    const analysis: NodeAnalysis = { name: node.name, op: node.layer.op, inputShapes, outputShape: result.outputShape, macs: result.macs, params: result.params, outputElements: h * w * c };
    if (result.weightShape !== undefined) analysis.weightShape = result.weightShape;
    out.push(analysis);
  }
  const last = out[out.length - 1];
  if (last === undefined) throw new Error(`${spec.name}: no nodes`);
  if (last.outputShape[0] !== 1 || last.outputShape[1] !== 1 || last.outputShape[2] !== spec.numClasses) {
    throw new Error(`${spec.name}: the last node gives [${last.outputShape}], expected [1,1,${spec.numClasses}] logits`);
  }
  return out;
}

export interface SpecTotals { macs: number; params: number; weightLayers: number }

export function specTotals(analysis: NodeAnalysis[]): SpecTotals {
  return {
    macs: analysis.reduce((s, n) => s + n.macs, 0),
    params: analysis.reduce((s, n) => s + n.params, 0),
    weightLayers: analysis.filter((n) => n.weightShape !== undefined).length,
  };
}
