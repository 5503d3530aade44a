/**
 * Low-rank surgery: builds the factorized network (a spec whose `X_lr` nodes split dense
 * or 1x1 conv layer X in two) and fills it from the trained model: every shared layer's
 * weights are copied; X's kernel W is replaced by its truncated SVD, A into `X_lr` and B
 * into X (which keeps X's bias).
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelSpec } from '../../spaces/model-spec.js';
import { buildModel } from '../build-model.js';
import { lowRankFactor } from '../compress/low-rank.js';

export function factorizeLowRank(model: tf.LayersModel, target: ModelSpec, seed = 0): tf.LayersModel {
  const out = buildModel(target, seed);
  const names = new Set(target.nodes.map((n) => n.name));
  for (const node of target.nodes) {
    const layer = out.getLayer(node.name);
    if (layer.getWeights().length === 0) continue;
    if (node.name.endsWith('_lr')) continue;
    const source = model.getLayer(node.name).getWeights();
    if (!names.has(`${node.name}_lr`)) { layer.setWeights(source); continue; }
    const lr = out.getLayer(`${node.name}_lr`);
    const kernel = source[0]!;
    const rows = kernel.shape.slice(0, -1).reduce((p, d) => p * d, 1), cols = kernel.shape[kernel.shape.length - 1]!;
    const rank = lr.getWeights()[0]!.shape.at(-1)!;
    const { a, b } = lowRankFactor(kernel.dataSync() as Float32Array, rows, cols, rank);
    const lrShape = [...kernel.shape.slice(0, -1), rank], bShape = kernel.shape.length === 4 ? [1, 1, rank, cols] : [rank, cols];
    const ta = tf.tensor(a, lrShape), tb = tf.tensor(b, bShape);
    lr.setWeights([ta]);
    layer.setWeights([tb, ...source.slice(1)]);
    tf.dispose([ta, tb]);
  }
  return out;
}
