/**
 * Integer activations, simulated: the model is rebuilt with a fake-quantization step after
 * every node (asymmetric, per tensor, with an exactly representable zero, as TFLite's
 * uint8/int8 kernels compute), ranges are calibrated on training images, and accuracy is
 * measured through it. The exported tfjs model stays float; the calibrated ranges travel
 * with the result so a deployment can quantize the same way.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelSpec } from '../../spaces/model-spec.js';
import { buildModel } from '../build-model.js';
import { subsetOf, evaluateSplit } from '../training/evaluate.js';
import type { TrainData } from '../training/train.js';
import { makeBatch } from '../training/batches.js';

class FakeQuant extends tf.layers.Layer {
  static readonly className = 'HwnasFakeQuant';
  lo = 0;
  hi = 0;
  observing = true;

  constructor(name: string, private readonly bits: number) { super({ name, trainable: false }); }

  override computeOutputShape(shape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] { return shape; }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    if (this.observing) {
      // Ranges always include 0 so that zero (padding, ReLU's floor) is exact.
      this.lo = Math.min(this.lo, x.min().dataSync()[0]!);
      this.hi = Math.max(this.hi, x.max().dataSync()[0]!);
      return tf.clone(x);
    }
    const levels = 2 ** this.bits - 1;
    const scale = this.hi > this.lo ? (this.hi - this.lo) / levels : 1;
    const zero = Math.round(-this.lo / scale);
    return tf.tidy(() => tf.mul(tf.sub(tf.clipByValue(tf.add(tf.round(tf.div(x, scale)), zero), 0, levels), zero), scale));
  }
}

export interface ActivationQuantResult {
  accuracy: number;
  valAccuracy: number;
  /** Calibrated [min, max] per node output. */
  ranges: Record<string, [number, number]>;
}

export function evaluateQuantizedActivations(model: tf.LayersModel, spec: ModelSpec, bits: number, data: TrainData, calibrationImages = 512): ActivationQuantResult {
  const quantizers: FakeQuant[] = [];
  const instrumented = buildModel(spec, 0, {
    afterNode: (node, y) => {
      const q = new FakeQuant(`${node.name}_aq`, bits);
      quantizers.push(q);
      return q.apply(y) as tf.SymbolicTensor;
    },
  });
  try {
    for (const layer of model.layers) {
      const weights = layer.getWeights();
      if (weights.length > 0) instrumented.getLayer(layer.name).setWeights(weights);
    }
    const pixels = data.inputShape[0] * data.inputShape[1] * data.inputShape[2];
    const calibration = subsetOf(data.train, calibrationImages, 17, pixels);
    const order = Int32Array.from({ length: calibration.count }, (_, i) => i);
    for (let start = 0; start < calibration.count; start += 128) {
      tf.tidy(() => {
        const { x } = makeBatch(calibration, data.inputShape, data.numClasses, order, start, Math.min(calibration.count, start + 128));
        instrumented.predict(x);
      });
    }
    for (const q of quantizers) q.observing = false;
    return {
      accuracy: evaluateSplit(instrumented, data.test, data.inputShape, data.numClasses).accuracy,
      valAccuracy: evaluateSplit(instrumented, data.validation, data.inputShape, data.numClasses).accuracy,
      ranges: Object.fromEntries(quantizers.map((q) => [q.name.replace(/_aq$/, ''), [q.lo, q.hi]])),
    };
  } finally {
    instrumented.dispose();
  }
}
