/**
 * Installs hwnas's training kernels on the wasm backend. The stock wasm backend has no
 * Conv2DBackpropFilter and no depthwise backprop kernels (so no conv net can train on
 * it), a slow scalar Conv2DBackpropInput and MaxPoolGrad, and copies where tfjs's cpu
 * backend shares a buffer (Identity); see each kernel's file.
 * Call after the wasm backend is registered; calling twice is harmless.
 */
import * as tf from '@tensorflow/tfjs';
import { conv2dBackpropFilter, type Conv2DBackpropFilterAttrs } from './conv2d-backprop-filter.js';
import { conv2dBackpropInput, type Conv2DBackpropInputAttrs } from './conv2d-backprop-input.js';
import { depthwiseBackpropFilter, type DepthwiseBackpropFilterAttrs } from './depthwise-backprop-filter.js';
import { depthwiseBackpropInput, type DepthwiseBackpropInputAttrs } from './depthwise-backprop-input.js';
import { captureOriginal, KernelCalls, type HeapBackend, type Info } from './kernel-calls.js';
import { maxPoolGrad, type MaxPoolGradAttrs } from './max-pool-grad.js';
import { batchMatMul, type BatchMatMulAttrs } from './batch-mat-mul.js';
import { sumLeadingAxes, type SumAttrs } from './sum.js';
import { maxPool2x2 } from './max-pool.js';
import { addBias } from './add.js';
import { tileBlocks, type TileAttrs } from './tile.js';
import { scalarBinary, SCALAR_OPS, type ScalarOp } from './scalar-binary.js';
import { batchNormChannels, type BatchNormAttrs } from './batch-norm.js';
import { multiplyChannels } from './channel-multiply.js';
import { castTensor, shareBuffer } from './cast.js';

const BACKEND = 'wasm';

const PER_CHANNEL: Partial<Record<ScalarOp, (calls: KernelCalls, inputs: { a: Info; b: Info }) => Info | null>> = { Add: addBias, Multiply: multiplyChannels };

type Backend = HeapBackend;
type Impl = (calls: KernelCalls, inputs: never, attrs: never) => Info | null;

const kernels: Record<string, Impl> = {
  Conv2DBackpropFilter: (calls, inputs: { x: Info; dy: Info }, attrs: Conv2DBackpropFilterAttrs) =>
    conv2dBackpropFilter(calls, inputs, attrs),
  Conv2DBackpropInput: (calls, inputs: { dy: Info; filter: Info }, attrs: Conv2DBackpropInputAttrs) =>
    conv2dBackpropInput(calls, inputs, attrs),
  DepthwiseConv2dNativeBackpropFilter: (calls, inputs: { x: Info; dy: Info }, attrs: DepthwiseBackpropFilterAttrs) =>
    depthwiseBackpropFilter(calls, inputs, attrs),
  DepthwiseConv2dNativeBackpropInput: (calls, inputs: { dy: Info; filter: Info }, attrs: DepthwiseBackpropInputAttrs) =>
    depthwiseBackpropInput(calls, inputs, attrs),
  MaxPoolGrad: (calls, inputs: { dy: Info; input: Info }, attrs: MaxPoolGradAttrs) =>
    maxPoolGrad(calls, inputs, attrs),
  BatchMatMul: (calls, inputs: { a: Info; b: Info }, attrs: BatchMatMulAttrs) =>
    batchMatMul(calls, inputs, attrs),
  MaxPool: (calls, inputs: { x: Info }, attrs: MaxPoolGradAttrs) => maxPool2x2(calls, inputs, attrs),
  // Binary ops: a per-channel operand first (bias add, batch-norm scale), then a single value.
  ...Object.fromEntries(SCALAR_OPS.map((op): [string, Impl] => [op, (calls, inputs: { a: Info; b: Info }) =>
    PER_CHANNEL[op]?.(calls, inputs) ?? scalarBinary(op, calls, inputs)])),
  FusedBatchNorm: (calls, inputs: { x: Info; mean: Info; variance: Info; offset?: Info; scale?: Info }, attrs: BatchNormAttrs) => batchNormChannels(calls, inputs, attrs),
  Sum: (calls, inputs: { x: Info }, attrs: SumAttrs) => sumLeadingAxes(calls, inputs, attrs),
  Mean: (calls, inputs: { x: Info }, attrs: SumAttrs) => sumLeadingAxes(calls, inputs, attrs, true),
  Tile: (calls, inputs: { x: Info }, attrs: TileAttrs) => tileBlocks(calls, inputs, attrs),
  Identity: (calls, inputs: { x: Info }) => shareBuffer(calls, inputs.x),
  Cast: (calls, inputs: { x: Info }, attrs: { dtype: string }) => castTensor(calls, inputs.x, attrs.dtype),
};

let installed = false;

export function registerWasmTrainingKernels(): void {
  if (installed) return;
  for (const [kernelName, impl] of Object.entries(kernels)) {
    // Capture before unregistering: the override falls back to it when it returns null.
    const original = captureOriginal(kernelName, BACKEND);
    if (original !== undefined) tf.unregisterKernel(kernelName, BACKEND);
    tf.registerKernel({
      kernelName,
      backendName: BACKEND,
      kernelFunc: (({ inputs, backend, attrs }: { inputs: Record<string, Info>; backend: Backend; attrs: Record<string, unknown> }) => {
        const result = impl(new KernelCalls(backend, BACKEND), inputs as never, attrs as never);
        if (result !== null) return result;
        if (original === undefined) throw new Error(`wasm ${kernelName}: no fallback for these arguments`);
        return original({ inputs, backend, attrs });
      }) as unknown as tf.KernelFunc,
    });
  }
  installed = true;
}

/** Names of the kernels hwnas adds or replaces on wasm, for `hwnas doctor`. */
export const wasmTrainingKernelNames = Object.keys(kernels);
