/**
 * ModelSpec -> tf.LayersModel with standard tfjs layers only, so an exported model loads
 * with plain `tf.loadLayersModel` and no hwnas code. Initializers are seeded from `seed`
 * and the node's position, so the same spec and seed give the same starting weights.
 * hswish is x * hard_sigmoid(x) with tfjs's (Keras's) hard sigmoid, 0.2x + 0.5 clipped.
 */
import * as tf from '@tensorflow/tfjs';
import { analyzeSpec } from '../spaces/analyze.js';
import type { Activation, ModelSpec, NodeSpec } from '../spaces/model-spec.js';

type Symbolic = tf.SymbolicTensor;

function applyActivation(x: Symbolic, activation: Activation, name: string): Symbolic {
  switch (activation) {
    case 'linear': return x;
    case 'relu': case 'relu6': case 'sigmoid':
      return tf.layers.activation({ activation, name }).apply(x) as Symbolic;
    case 'hsigmoid':
      return tf.layers.activation({ activation: 'hardSigmoid', name }).apply(x) as Symbolic;
    case 'hswish': {
      const gate = tf.layers.activation({ activation: 'hardSigmoid', name: `${name}_gate` }).apply(x) as Symbolic;
      return tf.layers.multiply({ name }).apply([x, gate]) as Symbolic;
    }
  }
}

/** Activations tfjs can fuse into the layer itself; the rest get their own layer. */
function fusable(activation: Activation): 'linear' | 'relu' | 'relu6' | 'sigmoid' | null {
  return activation === 'linear' || activation === 'relu' || activation === 'relu6' || activation === 'sigmoid' ? activation : null;
}

function buildNode(node: NodeSpec, xs: Symbolic[], seed: number): Symbolic {
  const layer = node.layer;
  const init = () => tf.initializers.heNormal({ seed });
  const x = xs[0]!;
  switch (layer.op) {
    case 'conv2d': {
      const fused = fusable(layer.activation);
      const y = tf.layers.conv2d({ name: node.name, filters: layer.filters, kernelSize: layer.kernel, strides: layer.stride, padding: layer.padding,
        useBias: layer.bias, activation: fused ?? 'linear', kernelInitializer: init() }).apply(x) as Symbolic;
      return fused === null ? applyActivation(y, layer.activation, `${node.name}_act`) : y;
    }
    case 'depthwise': {
      const fused = fusable(layer.activation);
      const y = tf.layers.depthwiseConv2d({ name: node.name, kernelSize: layer.kernel, strides: layer.stride, padding: layer.padding,
        depthMultiplier: layer.multiplier, useBias: layer.bias, activation: fused ?? 'linear', depthwiseInitializer: init() }).apply(x) as Symbolic;
      return fused === null ? applyActivation(y, layer.activation, `${node.name}_act`) : y;
    }
    case 'dense': {
      const fused = fusable(layer.activation);
      const flat = x.shape.length > 2 ? tf.layers.flatten({ name: `${node.name}_flat` }).apply(x) as Symbolic : x;
      const y = tf.layers.dense({ name: node.name, units: layer.units, useBias: layer.bias, activation: fused ?? 'linear',
        kernelInitializer: tf.initializers.glorotUniform({ seed }) }).apply(flat) as Symbolic;
      return fused === null ? applyActivation(y, layer.activation, `${node.name}_act`) : y;
    }
    case 'batchnorm':
      return tf.layers.batchNormalization({ name: node.name, momentum: 0.9, epsilon: 1e-3 }).apply(x) as Symbolic;
    case 'activation':
      return applyActivation(x, layer.activation, node.name);
    case 'maxpool':
      return tf.layers.maxPooling2d({ name: node.name, poolSize: layer.size, strides: layer.stride, padding: layer.padding }).apply(x) as Symbolic;
    case 'avgpool':
      return tf.layers.averagePooling2d({ name: node.name, poolSize: layer.size, strides: layer.stride, padding: layer.padding }).apply(x) as Symbolic;
    case 'gap':
      return tf.layers.globalAveragePooling2d({ name: node.name }).apply(x) as Symbolic;
    case 'flatten':
      return tf.layers.flatten({ name: node.name }).apply(x) as Symbolic;
    case 'add':
      return xs.length === 1 ? x : tf.layers.add({ name: node.name }).apply(xs) as Symbolic;
    case 'scale':
      return tf.layers.multiply({ name: node.name }).apply([x, xs[1]!]) as Symbolic;
    case 'reshape':
      return tf.layers.reshape({ name: node.name, targetShape: layer.shape }).apply(x) as Symbolic;
    case 'zeros':
      // A frozen all-zero 1x1 depthwise convolution: a standard layer whose output is 0.
      return tf.layers.depthwiseConv2d({ name: node.name, kernelSize: 1, useBias: false, depthwiseInitializer: 'zeros', trainable: false }).apply(x) as Symbolic;
  }
}

export interface BuildOptions {
  /** Wraps every node's output (evaluation-only instrumentation such as activation fake-quantization). */
  afterNode?: (node: NodeSpec, output: Symbolic) => Symbolic;
}

export function buildModel(spec: ModelSpec, seed: number, options: BuildOptions = {}): tf.LayersModel {
  analyzeSpec(spec);
  const input = tf.input({ shape: spec.inputShape, name: 'input' });
  const outputs = new Map<string, Symbolic>([['input', input]]);
  spec.nodes.forEach((node, index) => {
    const xs = node.inputs.map((name) => outputs.get(name)!);
    const y = buildNode(node, xs, seed * 10_007 + index);
    outputs.set(node.name, options.afterNode ? options.afterNode(node, y) : y);
  });
  let logits = outputs.get(spec.nodes[spec.nodes.length - 1]!.name)!;
  if (logits.shape.length > 2) logits = tf.layers.flatten({ name: 'logits' }).apply(logits) as Symbolic;
  return tf.model({ inputs: input, outputs: logits, name: spec.name });
}
