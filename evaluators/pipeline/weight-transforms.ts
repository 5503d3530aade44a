/**
 * Keeps a model's kernels under a transform during fine-tuning, with straight-through
 * gradients: the optimizer updates the transformed weights, the update is added to float
 * "shadow" weights, and the transform is re-applied to the shadows after every step. With
 * a pruning mask as the transform this is TF-MOT's pruning wrapper; with fake quantization
 * it is quantization-aware training (the STE); with a codebook it is Deep Compression's
 * centroid fine-tuning (members' updates pooled per centroid).
 */
import * as tf from '@tensorflow/tfjs';

export type KernelTransform = (shadow: Float32Array, shape: number[], layer: string, step: number) => Float32Array;

interface Tracked { layer: tf.layers.Layer; shape: number[]; shadow: Float32Array; applied: Float32Array }

export const WEIGHT_LAYER_CLASSES = new Set(['Conv2D', 'DepthwiseConv2D', 'Dense']);

export class ShadowWeights {
  private readonly tracked: Tracked[];

  constructor(model: tf.LayersModel) {
    this.tracked = model.layers.filter((l) => WEIGHT_LAYER_CLASSES.has(l.getClassName()) && l.trainable).map((layer) => {
      const kernel = layer.getWeights()[0]!;
      const values = kernel.dataSync() as Float32Array;
      return { layer, shape: kernel.shape, shadow: values.slice(), applied: values.slice() };
    });
  }

  get layers(): ReadonlyArray<{ name: string; shape: number[]; shadow: Float32Array }> {
    return this.tracked.map((t) => ({ name: t.layer.name, shape: t.shape, shadow: t.shadow }));
  }

  /**
   * Folds the optimizer's last update into the shadows, then writes transform(shadow) back.
   * `frozen` gives, per layer, a mask of the positions that may move (1) or not (0): pruned
   * weights take no update, as under TF-MOT's w * mask, so Adam's unit-size steps cannot
   * make a pruned weight look large and win its place back at the next mask update.
   */
  step(transform: KernelTransform, step: number, movable?: (layer: string) => Uint8Array | undefined): void {
    for (const t of this.tracked) {
      const [kernel, ...rest] = t.layer.getWeights();
      const now = kernel!.dataSync() as Float32Array;
      const gate = movable?.(t.layer.name);
      if (gate === undefined) for (let i = 0; i < now.length; i++) t.shadow[i]! += now[i]! - t.applied[i]!;
      else for (let i = 0; i < now.length; i++) if (gate[i]) t.shadow[i]! += now[i]! - t.applied[i]!;
      this.apply(t, transform(t.shadow, t.shape, t.layer.name, step), rest);
    }
  }

  /** Writes transform(shadow) without folding an update (before fine-tuning, or to finish). */
  applyAll(transform: KernelTransform, step: number): void {
    for (const t of this.tracked) this.apply(t, transform(t.shadow, t.shape, t.layer.name, step), t.layer.getWeights().slice(1));
  }

  private apply(t: Tracked, values: Float32Array, rest: tf.Tensor[]): void {
    const tensor = tf.tensor(values, t.shape);
    t.layer.setWeights([tensor, ...rest]);
    tensor.dispose();
    t.applied = values;
  }
}
