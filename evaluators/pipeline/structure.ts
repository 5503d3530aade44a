/**
 * Structural compression of a trained model: L1 channel pruning (surgery to the pruned
 * spec), then truncated-SVD factorization into the target spec's `_lr` layers.
 */
import type * as tf from '@tensorflow/tfjs';
import type { ModelSpec } from '../../spaces/model-spec.js';
import { pruneChannels } from './channel-surgery.js';
import { factorizeLowRank } from './low-rank-surgery.js';

/** A new model (the input is left as it was) with `target`'s structure and the trained weights. */
export function channelSurgery(model: tf.LayersModel, base: ModelSpec, pruned: ModelSpec, target: ModelSpec): tf.LayersModel {
  const thinned = pruneChannels(model, base, pruned).model;
  if (!target.nodes.some((n) => n.name.endsWith('_lr'))) return thinned;
  const factorized = factorizeLowRank(thinned, target);
  thinned.dispose();
  return factorized;
}
