/**
 * hwnas's own WebAssembly SIMD kernels (simd/kernels.c), instantiated on the tfjs wasm
 * backend's memory so they read and write tensors in place. Pointers are the byte
 * offsets tfjs-wasm keeps per tensor; they stay valid when the memory grows.
 */
import { kernelsWasmBase64 } from './simd/kernels-wasm.js';
import type { Info } from './kernel-calls.js';

export interface SimdExports {
  conv2d_filter_grad(x: number, dy: number, dw: number, batch: number, h: number, w: number, ci: number,
    oh: number, ow: number, co: number, kh: number, kw: number, sh: number, sw: number, dh: number, dw_: number,
    pt: number, pl: number): void;
  depthwise_filter_grad(x: number, dy: number, dw: number, batch: number, h: number, w: number, c: number,
    oh: number, ow: number, m: number, kh: number, kw: number, sh: number, sw: number, dh: number, dw_: number,
    pt: number, pl: number): void;
  gemm_atb(a: number, b: number, c: number, m: number, n: number, k: number): void;
  sum_rows(x: number, out: number, rows: number, cols: number): void;
  max_pool_2x2(x: number, y: number, batch: number, h: number, w: number, c: number, oh: number, ow: number): void;
  add_bias(x: number, bias: number, out: number, rows: number, cols: number): void;
  max_pool_2x2_grad(x: number, dy: number, dx: number, batch: number, h: number, w: number, c: number, oh: number, ow: number): void;
  scale_shift(x: number, ab: number, out: number, rows: number, cols: number): void;
  scalar_op(op: number, x: number, s: number, out: number, n: number, scalarFirst: number): void;
  scalar_compare(op: number, x: number, s: number, out: number, n: number, scalarFirst: number): void;
}

// Node has WebAssembly, but @types/node does not declare it (it lives in lib.dom).
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: object };
};
type WasmMemory = object;

interface WasmBackendInternals {
  wasm: { asm: { memory: WasmMemory } };
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
}

const instances = new WeakMap<object, SimdExports>();

/** The kernels bound to one wasm backend instance (created on first use). */
export function simdKernelsFor(backend: unknown): SimdExports {
  const internals = backend as WasmBackendInternals;
  let exports = instances.get(internals);
  if (exports === undefined) {
    const module = new WebAssembly.Module(Buffer.from(kernelsWasmBase64, 'base64'));
    const instance = new WebAssembly.Instance(module, { env: { memory: internals.wasm.asm.memory } });
    exports = instance.exports as unknown as SimdExports;
    instances.set(internals, exports);
  }
  return exports;
}

/** Byte address of a tensor's data on the wasm heap. */
export function addressOf(backend: unknown, info: Info): number {
  const entry = (backend as WasmBackendInternals).dataIdMap.get(info.dataId);
  if (entry === undefined) throw new Error('tensor is not on the wasm backend');
  return entry.memoryOffset;
}
