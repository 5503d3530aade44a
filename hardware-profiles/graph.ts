/**
 * A spec flattened into typed arrays in one pass (shapes, MACs, weights, input indices),
 * so the cost model touches no strings or small objects per node: it runs for every
 * proposal, often tens of thousands per second. Tensor 0 is the input image; tensor i + 1
 * is node i's output. Specs come from the spaces, already validated by analyzeSpec's
 * rules; this pass does not re-check them.
 */
import type { ModelSpec } from '../spaces/model-spec.js';

export interface SpecGraph {
  n: number;
  /** Per tensor (n + 1). */
  h: Int32Array; w: Int32Array; c: Int32Array;
  /** Per node. */
  macs: Float64Array; weights: Float64Array; params: Float64Array; inputElements: Float64Array;
  /** Input tensor indices of node i: inputs[inputStart[i] .. inputStart[i + 1]). */
  inputStart: Int32Array; inputs: Int32Array;
}

const convOut = (size: number, kernel: number, stride: number, same: boolean) => (same ? Math.ceil(size / stride) : Math.floor((size - kernel) / stride) + 1);

/**
 * The tensor a node input names, found by scanning back from the node: inputs are almost
 * always a few nodes back and usually the very same string object, so this beats hashing
 * every fresh node name into a Map (which took most of an estimate's time).
 */
function tensorOf(spec: ModelSpec, name: string, before: number): number {
  if (name === 'input') return 0;
  for (let j = before - 1; j >= 0; j--) if (spec.nodes[j]!.name === name) return j + 1;
  throw new Error(`${spec.name}: input '${name}' is not an earlier node`);
}

export function specGraph(spec: ModelSpec): SpecGraph {
  const n = spec.nodes.length;
  const h = new Int32Array(n + 1), w = new Int32Array(n + 1), c = new Int32Array(n + 1);
  const macs = new Float64Array(n), weights = new Float64Array(n), params = new Float64Array(n), inputElements = new Float64Array(n);
  const inputStart = new Int32Array(n + 1);
  let total = 0;
  for (const node of spec.nodes) total += node.inputs.length;
  const inputs = new Int32Array(total);
  [h[0], w[0], c[0]] = spec.inputShape;
  let at = 0;
  for (let i = 0; i < n; i++) {
    const node = spec.nodes[i]!;
    inputStart[i] = at;
    let elements = 0;
    for (const name of node.inputs) {
      const t = tensorOf(spec, name, i);
      inputs[at++] = t;
      elements += h[t]! * w[t]! * c[t]!;
    }
    inputElements[i] = elements;
    const t0 = inputs[inputStart[i]!]!;
    const ih = h[t0]!, iw = w[t0]!, ic = c[t0]!;
    let oh = ih, ow = iw, oc = ic;
    const layer = node.layer;
    switch (layer.op) {
      case 'conv2d': {
        oh = convOut(ih, layer.kernel, layer.stride, layer.padding === 'same'); ow = convOut(iw, layer.kernel, layer.stride, layer.padding === 'same'); oc = layer.filters;
        weights[i] = layer.kernel * layer.kernel * ic * layer.filters;
        macs[i] = oh * ow * weights[i]!; params[i] = weights[i]! + (layer.bias ? layer.filters : 0);
        break;
      }
      case 'depthwise': {
        oh = convOut(ih, layer.kernel, layer.stride, layer.padding === 'same'); ow = convOut(iw, layer.kernel, layer.stride, layer.padding === 'same'); oc = ic * layer.multiplier;
        weights[i] = layer.kernel * layer.kernel * oc;
        macs[i] = oh * ow * weights[i]!; params[i] = weights[i]! + (layer.bias ? oc : 0);
        break;
      }
      case 'dense':
        oh = 1; ow = 1; oc = layer.units;
        weights[i] = ic * layer.units; macs[i] = weights[i]!; params[i] = weights[i]! + (layer.bias ? layer.units : 0);
        break;
      case 'batchnorm': macs[i] = ih * iw * ic; params[i] = 2 * ic; break;
      case 'maxpool': case 'avgpool':
        oh = convOut(ih, layer.size, layer.stride, layer.padding === 'same'); ow = convOut(iw, layer.size, layer.stride, layer.padding === 'same');
        if (layer.op === 'avgpool') macs[i] = oh * ow * ic * layer.size * layer.size;
        break;
      case 'gap': oh = 1; ow = 1; macs[i] = ih * iw * ic; break;
      case 'flatten': oh = 1; ow = 1; oc = ih * iw * ic; break;
      case 'add': macs[i] = ih * iw * ic * (node.inputs.length - 1); break;
      case 'scale': macs[i] = ih * iw * ic; break;
      case 'reshape': [oh, ow, oc] = layer.shape; break;
      default: break; // activation, zeros: same shape, no MACs
    }
    h[i + 1] = oh; w[i + 1] = ow; c[i + 1] = oc;
  }
  inputStart[n] = at;
  return { n, h, w, c, macs, weights, params, inputElements, inputStart, inputs };
}
