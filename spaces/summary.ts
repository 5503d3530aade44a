/**
 * The per-layer table the store, `hwnas show` and the dashboard display: for every
 * weight layer its kind, weight shape, output shape, dense and effective MACs, parameters,
 * nonzero weights, bits and bytes. From a spec alone the compression figures are the
 * plan's; the compression pipeline replaces them with what the compressed model holds.
 */
import { analyzeSpec } from './analyze.js';
import { isWeightOp, type ModelSpec } from './model-spec.js';

export interface LayerRow {
  name: string;
  kind: 'conv2d' | 'depthwise' | 'dense';
  weightShape: number[];
  outputShape: [number, number, number];
  macs: number;
  /** MACs left when zero weights are skipped (what a sparse kernel could do). */
  effectiveMacs: number;
  params: number;
  nonzeros: number;
  bits: number;
  /** Stored bytes of this layer's weights and biases (estimated unless measured). */
  bytes: number;
}

/**
 * A weight layer's stored bytes, estimated from its plan: nonzero weights at their width
 * (plus a 4-bit relative index each when sparse, Deep Compression's conv setting) and
 * float32 biases. The cost models price stored size the same way.
 */
export const estimatedLayerBytes = (weights: number, params: number, bits: number, sparsity: number): number =>
  Math.ceil(Math.round(weights * (1 - sparsity)) * (bits + (sparsity > 0 ? 4 : 0)) / 8) + (params - weights) * 4;

export function summarizeSpec(spec: ModelSpec): LayerRow[] {
  const analysis = new Map(analyzeSpec(spec).map((a) => [a.name, a]));
  const rows: LayerRow[] = [];
  for (const node of spec.nodes) {
    const op = node.layer.op;
    if (!isWeightOp(op)) continue;
    const a = analysis.get(node.name)!;
    const weights = a.weightShape!.reduce((p, d) => p * d, 1);
    const biases = a.params - weights;
    const sparsity = node.compression?.sparsity ?? 0;
    const bits = node.compression?.weightBits ?? 32;
    rows.push({
      name: node.name, kind: op, weightShape: a.weightShape!, outputShape: a.outputShape,
      macs: a.macs, effectiveMacs: Math.round(a.macs * (1 - sparsity)), params: a.params, nonzeros: Math.round(weights * (1 - sparsity)) + biases,
      bits, bytes: estimatedLayerBytes(weights, a.params, bits, sparsity),
    });
  }
  return rows;
}
