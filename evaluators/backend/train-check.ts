/**
 * A few-millisecond proof that the active backend can train a small conv net: every
 * gradient kernel hwnas's models need runs once and must give finite, non-zero values.
 * A backend that loads but lacks or breaks a backprop kernel fails here, not an hour
 * into a search.
 */
import * as tf from '@tensorflow/tfjs';
import { errorMessage } from '../../core/errors.js';
import { firstLine } from '../../core/format.js';

/** Outcome of {@link checkTraining}. */
export interface TrainCheck {
  ok: boolean;
  /** Why not, when `ok` is false. */
  reason?: string;
  ms: number;
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 10) / 10;
}

const parameterNames = ['conv filter', 'depthwise filter', 'dense weights'] as const;

/** Backpropagates conv2d -> relu -> depthwise -> max-pool -> dense on the active backend. */
export async function checkTraining(): Promise<TrainCheck> {
  const started = performance.now();
  try {
    const gradients = tf.tidy(() => {
      const x = tf.randomNormal([2, 8, 8, 3], 0, 1, 'float32', 1);
      const labels = tf.oneHot(tf.tensor1d([1, 7], 'int32'), 10);
      const loss = (conv: tf.Tensor, depthwise: tf.Tensor, dense: tf.Tensor): tf.Tensor => {
        let h: tf.Tensor4D = tf.relu(tf.conv2d(x as tf.Tensor4D, conv as tf.Tensor4D, 1, 'same'));
        h = tf.depthwiseConv2d(h, depthwise as tf.Tensor4D, 1, 'same');
        h = tf.maxPool(h, 2, 2, 'valid');
        return tf.losses.softmaxCrossEntropy(labels, tf.matMul(tf.reshape(h, [2, 64]), dense as tf.Tensor2D));
      };
      const parameters = [
        tf.randomNormal([3, 3, 3, 4], 0, 0.3, 'float32', 2),
        tf.randomNormal([3, 3, 4, 1], 0, 0.3, 'float32', 3),
        tf.randomNormal([64, 10], 0, 0.3, 'float32', 4),
      ];
      return tf.grads((conv, depthwise, dense) => loss(conv, depthwise, dense))(parameters)
        .map((gradient) => tf.sum(tf.abs(gradient)));
    });
    const sums = await Promise.all(gradients.map(async (sum) => (await sum.data())[0] ?? Number.NaN));
    tf.dispose(gradients);
    const bad = sums.findIndex((sum) => !Number.isFinite(sum) || sum === 0);
    const ms = elapsed(started);
    if (bad === -1) return { ok: true, ms };
    return { ok: false, reason: `the ${parameterNames[bad] ?? 'parameter'} gradient is ${String(sums[bad])}`, ms };
  } catch (error) {
    return { ok: false, reason: firstLine(errorMessage(error)), ms: elapsed(started) };
  }
}
