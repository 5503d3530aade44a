/**
 * A small op layer over the wasm backend's own kernel functions, for composing
 * new kernels inside a kernel function. Kernel functions must not call `tf.*`
 * ops (those would be taped and scoped by the engine), so the training kernels
 * in this folder are written against `TensorInfo`s and the original kernel
 * functions, captured once before any of ours is registered.
 */
import * as tf from '@tensorflow/tfjs';

export type Info = tf.TensorInfo;
type KernelFunc = (args: { inputs: Record<string, Info>; backend: unknown; attrs?: Record<string, unknown> }) => Info | Info[];

/** Explicit padding as tfjs-core's conv utilities take it: [[0,0],[t,b],[l,r],[0,0]]. */
export type ExplicitPadding = [[number, number], [number, number], [number, number], [number, number]];

const originals = new Map<string, KernelFunc>();

/** Remembers the backend's original kernel, so an override can fall back to it. */
export function captureOriginal(kernelName: string, backendName: string): KernelFunc | undefined {
  const key = `${backendName}/${kernelName}`;
  if (!originals.has(key)) {
    const config = tf.getKernel(kernelName, backendName);
    if (config === undefined) return undefined;
    originals.set(key, config.kernelFunc as unknown as KernelFunc);
  }
  return originals.get(key);
}

/** The part of the wasm backend the kernels use: heap allocation and views. */
export interface HeapBackend {
  disposeData(dataId: object, force?: boolean): boolean;
  /** One more tensor reads this buffer (it is freed when the last one is disposed). */
  incRef(dataId: object): void;
  makeOutput(shape: number[], dtype: tf.DataType): Info;
  typedArrayFromHeap(info: Info): tf.TypedArray;
}

/** Calls kernels of one backend by name; every result must be released with `free` or returned. */
export class KernelCalls {
  constructor(
    readonly backend: HeapBackend,
    private readonly backendName: string,
  ) {}

  /** A new float32 tensor on the heap; fill it through `view` after every other allocation. */
  allocate(shape: number[]): Info {
    return this.backend.makeOutput(shape, 'float32');
  }

  /**
   * A Float32Array over a tensor's heap memory. Take views only after the last
   * allocation of a kernel: growing the wasm memory detaches earlier views.
   */
  view(info: Info): Float32Array {
    return this.backend.typedArrayFromHeap(info) as Float32Array;
  }

  run(kernelName: string, inputs: Record<string, Info>, attrs: Record<string, unknown> = {}): Info {
    const kernel = captureOriginal(kernelName, this.backendName);
    if (kernel === undefined) throw new Error(`kernel ${kernelName} is not registered for backend ${this.backendName}`);
    return kernel({ inputs, backend: this.backend, attrs }) as Info;
  }

  free(...infos: Info[]): void {
    for (const info of infos) this.backend.disposeData(info.dataId);
  }

  transpose(x: Info, perm: number[]): Info {
    return this.run('Transpose', { x }, { perm });
  }

  reshape(x: Info, shape: number[]): Info {
    return this.run('Reshape', { x }, { shape });
  }

  slice(x: Info, begin: number[], size: number[]): Info {
    return this.run('Slice', { x }, { begin, size });
  }

  pad(x: Info, paddings: Array<[number, number]>): Info {
    return this.run('PadV2', { x }, { paddings, constantValue: 0 });
  }

  reverse(x: Info, dims: number[]): Info {
    return this.run('Reverse', { x }, { dims });
  }

  sum(x: Info, axis: number[]): Info {
    return this.run('Sum', { x }, { axis, keepDims: false });
  }

  multiply(a: Info, b: Info): Info {
    return this.run('Multiply', { a, b });
  }

  conv2d(x: Info, filter: Info, strides: [number, number], dilations: [number, number], pad: ExplicitPadding): Info {
    return this.run('Conv2D', { x, filter }, { strides, dilations, pad, dataFormat: 'NHWC' });
  }

  depthwiseConv2d(x: Info, filter: Info, strides: [number, number], dilations: [number, number], pad: ExplicitPadding): Info {
    return this.run('DepthwiseConv2dNative', { x, filter }, { strides, dilations, pad, dataFormat: 'NHWC' });
  }
}

/** Inserts (stride - 1) zeros after every row and column: the transposed-convolution upsampling. */
export function zeroInsert(calls: KernelCalls, x: Info, strideH: number, strideW: number): Info {
  const [b, h, w, c] = x.shape as [number, number, number, number];
  if (strideH === 1 && strideW === 1) return calls.reshape(x, x.shape);
  const six = calls.reshape(x, [b, h, 1, w, 1, c]);
  const padded = calls.pad(six, [[0, 0], [0, 0], [0, strideH - 1], [0, 0], [0, strideW - 1], [0, 0]]);
  calls.free(six);
  const out = calls.reshape(padded, [b, h * strideH, w * strideW, c]);
  calls.free(padded);
  return out;
}

export interface Pads { top: number; bottom: number; left: number; right: number }

/**
 * Crops an NHWC tensor where a padding amount is negative (rows the forward pass never
 * read) and returns the non-negative rest as explicit padding for the next convolution,
 * which XNNPACK applies without a copy.
 */
export function cropNegative(calls: KernelCalls, x: Info, pads: Pads): { x: Info; pad: ExplicitPadding } {
  const [b, h, w, c] = x.shape as [number, number, number, number];
  const cropTop = Math.max(0, -pads.top), cropBottom = Math.max(0, -pads.bottom);
  const cropLeft = Math.max(0, -pads.left), cropRight = Math.max(0, -pads.right);
  const cropped = cropTop + cropBottom + cropLeft + cropRight > 0
    ? calls.slice(x, [0, cropTop, cropLeft, 0], [b, h - cropTop - cropBottom, w - cropLeft - cropRight, c])
    : calls.reshape(x, x.shape);
  const pad: ExplicitPadding = [[0, 0], [Math.max(0, pads.top), Math.max(0, pads.bottom)],
    [Math.max(0, pads.left), Math.max(0, pads.right)], [0, 0]];
  return { x: cropped, pad };
}
