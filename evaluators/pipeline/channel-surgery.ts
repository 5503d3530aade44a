/**
 * Structured pruning by model surgery: copies a trained model's weights into the smaller
 * network its pruned spec describes, so pruned channels are really gone (fewer MACs,
 * fewer bytes, faster on every device). Each thinned layer keeps its output channels with
 * the largest L1 norms (Li et al. 2017, "Pruning Filters for Efficient ConvNets"); every
 * later layer that reads those channels is sliced to match, following the graph through
 * batch norm, activations, depthwise convolutions, squeeze-excitation and flatten.
 */
import * as tf from '@tensorflow/tfjs';
import { analyzeSpec } from '../../spaces/analyze.js';
import type { ModelSpec, NodeSpec } from '../../spaces/model-spec.js';
import { buildModel } from '../build-model.js';

/** Indices of the `keep` output channels (last axis) with the largest L1 norm, ascending. */
export function topChannelsByL1(kernel: tf.Tensor, keep: number): number[] {
  const outChannels = kernel.shape[kernel.shape.length - 1]!;
  if (keep >= outChannels) return [...Array(outChannels).keys()];
  const norms = tf.tidy(() => tf.sum(tf.abs(tf.reshape(kernel, [-1, outChannels])), 0).dataSync());
  const order = [...Array(outChannels).keys()].sort((a, b) => norms[b]! - norms[a]! || a - b);
  return order.slice(0, Math.max(1, keep)).sort((a, b) => a - b);
}

function gather(t: tf.Tensor, indices: number[], axis: number): tf.Tensor {
  if (indices.length === t.shape[axis]) return t.clone();
  // Copied out into a fresh tensor: the wasm backend's Gather records its result under a
  // 4-D shape, which its fused MatMul then rejects as a bias ("rank-1 bias but got rank 4").
  const gathered = tf.tidy(() => tf.gather(t, tf.tensor1d(indices, 'int32'), axis));
  const fresh = tf.tensor(gathered.dataSync(), gathered.shape, gathered.dtype);
  gathered.dispose();
  return fresh;
}

/** Flat indices of a flattened [h, w, c] map that belong to the kept channels. */
function flatIndices(shape: [number, number, number], channels: number[]): number[] {
  const [h, w, c] = shape;
  const out: number[] = [];
  for (let p = 0; p < h * w; p++) for (const k of channels) out.push(p * c + k);
  return out;
}

/**
 * Builds `pruned` (same node names as `full`, thinner widths) and fills it with `model`'s
 * weights, sliced. Returns the new model and, per node, the source channels it kept.
 */
export function pruneChannels(model: tf.LayersModel, full: ModelSpec, pruned: ModelSpec, seed = 0): { model: tf.LayersModel; kept: Map<string, number[]> } {
  const fullShapes = new Map(analyzeSpec(full).map((n) => [n.name, n.outputShape]));
  fullShapes.set('input', full.inputShape);
  const prunedByName = new Map(pruned.nodes.map((n) => [n.name, n]));
  const consumers = new Map<string, NodeSpec[]>();
  for (const node of full.nodes) for (const input of node.inputs) consumers.set(input, [...(consumers.get(input) ?? []), node]);

  const kept = new Map<string, number[]>([['input', [...Array(full.inputShape[2]).keys()]]]);
  const weights = new Map<string, tf.Tensor[]>();
  for (const node of full.nodes) {
    const target = prunedByName.get(node.name);
    if (target === undefined) throw new Error(`pruned spec has no node '${node.name}'`);
    const from = kept.get(node.inputs[0]!)!;
    const source = model.getLayer(node.name).getWeights();
    switch (node.layer.op) {
      case 'conv2d': case 'dense': {
        const width = target.layer.op === 'conv2d' ? target.layer.filters : (target.layer as { units: number }).units;
        // A conv whose output gates another tensor (squeeze-excitation) must keep that tensor's channels.
        const gate = (consumers.get(node.name) ?? []).find((c) => c.layer.op === 'scale' && c.inputs[1] === node.name);
        const keep = gate !== undefined ? kept.get(gate.inputs[0]!)! : topChannelsByL1(source[0]!, width);
        const kernel = source[0]!;
        const inAxis = kernel.shape.length - 2;
        const sliced = tf.tidy(() => gather(gather(kernel, from, inAxis), keep, inAxis + 1));
        weights.set(node.name, [sliced, ...source.slice(1).map((b) => gather(b, keep, 0))]);
        kept.set(node.name, keep);
        break;
      }
      case 'depthwise': {
        if (node.layer.multiplier !== 1) throw new Error(`${node.name}: channel pruning through a depthwise multiplier > 1 is not supported`);
        weights.set(node.name, [gather(source[0]!, from, 2), ...source.slice(1).map((b) => gather(b, from, 0))]);
        kept.set(node.name, from);
        break;
      }
      case 'batchnorm':
        weights.set(node.name, source.map((v) => gather(v, from, 0)));
        kept.set(node.name, from);
        break;
      case 'flatten': {
        const shape = fullShapes.get(node.inputs[0]!)!;
        kept.set(node.name, flatIndices(shape, from));
        break;
      }
      case 'add': {
        const sets = node.inputs.map((i) => kept.get(i)!.join());
        if (new Set(sets).size > 1) throw new Error(`${node.name}: residual inputs kept different channels; prune both sides alike`);
        kept.set(node.name, from);
        break;
      }
      default:
        kept.set(node.name, from);
    }
  }
  const out = buildModel(pruned, seed);
  for (const [name, ws] of weights) {
    const layer = out.getLayer(name);
    layer.setWeights(ws);
    tf.dispose(ws);
  }
  return { model: out, kept };
}
