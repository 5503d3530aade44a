/**
 * A device profile as the cost models use it: plain numbers in base units (ops/s, bytes,
 * bytes/s, seconds, picojoules, watts), parsed and checked from a data file where every
 * number carries its unit (hardware-profiles/data/*.json, or a user's --profile file).
 */
export const PRECISIONS = ['fp32', 'fp16', 'int16', 'int8'] as const;
export type Precision = typeof PRECISIONS[number];
export const PRECISION_BITS: Record<Precision, number> = { fp32: 32, fp16: 16, int16: 16, int8: 8 };

/** 'pointwise' is a 1x1 conv2d: devices run it at a very different efficiency from a kxk one. */
export const LAYER_KINDS = ['conv2d', 'pointwise', 'depthwise', 'dense', 'other'] as const;
export type LayerKind = typeof LAYER_KINDS[number];

export interface Profile {
  id: string;
  name: string;
  runtime: string;
  class: 'cpu' | 'gpu' | 'npu' | 'mcu' | 'asic' | 'fpga' | 'host';
  /** Peak operations per second (1 MAC = 2 ops) per natively executed precision. */
  peakOpsPerSec: Partial<Record<Precision, number>>;
  native: {
    precisions: Precision[];
    /** Sparse kernels that skip zero weights, used at or above `minSparsity`. */
    unstructuredSparsity: boolean;
    minSparsity: number;
    /** The device runs only quantized models (an Edge TPU): anything else is infeasible. */
    requiresQuantization: boolean;
    /** Its compiler folds constant branches away (TFLite, TensorRT); simulators of fixed dataflows do not. */
    foldsConstants: boolean;
    /** Batch norm folds into the conv before it and activations fuse (TFLite, TensorRT); tfjs runs them as their own kernels. */
    fusesLayers: boolean;
  };
  memory: {
    bandwidthBytesPerSec: number | null;
    sramBytes: number | null;
    flashBytes: number | null;
    dramBytes: number | null;
    /** 'hard': activations must fit SRAM and weights flash (microcontrollers); 'soft': caches. */
    limits: 'hard' | 'soft';
  };
  /** Fixed cost of launching one kernel (layer). */
  overheadSec: number;
  /** Kinds whose kernels cost a different fixed time (a GPU's conv launch vs an elementwise one). */
  overheadPerKindSec: Partial<Record<LayerKind, number>>;
  /** Share of peak each layer kind reaches. */
  efficiency: Record<LayerKind, number>;
  energy: { perMacPj: Partial<Record<Precision, number>>; perBytePj: { sram: number; dram: number }; source: string };
  powerWatts: number | null;
  /** Key paths whose values are estimates, not sourced facts. */
  estimates: string[];
  sources: string[];
}
