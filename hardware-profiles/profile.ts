/**
 * A device profile as the cost models use it: plain numbers in base units (ops/s, bytes,
 * bytes/s, seconds, picojoules, watts), parsed and checked from a data file where every
 * number carries its unit (hardware-profiles/data/*.json, or a user's --profile file;
 * the format is documented in hardware-profiles/data/README.md).
 */
export const PRECISIONS = ['fp32', 'fp16', 'int16', 'int8'] as const;
export type Precision = typeof PRECISIONS[number];
export const PRECISION_BITS: Record<Precision, number> = { fp32: 32, fp16: 16, int16: 16, int8: 8 };

/**
 * What a runtime launches one kernel for. 'pointwise' is a 1x1 conv2d: devices run it at a
 * very different efficiency from a kxk one. The kinds after 'dense' are the cheap layers
 * nn-Meter found to decide small models' latency on their own (pooling, elementwise sums,
 * activations, batch norm, NB201's zero edges); a profile that gives no figure for one of
 * them uses its 'other' figure, so older five-kind profiles keep working.
 */
export const LAYER_KINDS = ['conv2d', 'pointwise', 'depthwise', 'dense', 'pool', 'elementwise', 'activation', 'norm', 'zeros', 'other'] as const;
export type LayerKind = typeof LAYER_KINDS[number];
/** The kinds every profile must give an efficiency for. */
export const CORE_KINDS = ['conv2d', 'pointwise', 'depthwise', 'dense', 'other'] as const;
export type CoreKind = typeof CORE_KINDS[number];
export const WEIGHT_KINDS: readonly LayerKind[] = ['conv2d', 'pointwise', 'depthwise', 'dense'];

/**
 * How the runtime treats constant parts of a graph (NB201's `none` edges compute x * 0).
 * - 'full': zeros are constants; anything computed only from constants is folded, and
 *   whatever reaches the output only through constants is dropped (TFLite/TensorRT builders
 *   that constant-fold).
 * - 'output': nothing is folded, except that a model whose output is a constant does not
 *   run at all (what HW-NAS-Bench's measurements of degenerate NB201 cells show).
 * - 'none': every node runs (simulators that sum a cost per layer).
 */
export const FOLDING = ['full', 'output', 'none'] as const;
export type Folding = typeof FOLDING[number];

/**
 * When batch norm and activations cost nothing of their own.
 * - 'always': batch norm folds into the conv before it and activations fuse (TFLite, TensorRT as usually described);
 * - 'sole-consumer': they fuse into the kernel that produces their input only when they are
 *   its sole consumer, otherwise they run (a ReLU on a tensor several edges read);
 * - 'never': every one is its own kernel (tfjs).
 */
export const FUSION = ['always', 'sole-consumer', 'never'] as const;
export type Fusion = typeof FUSION[number];

/** Activation functions a runtime may implement with several kernels, or fuse into a weight layer's kernel. */
export const NONLINEAR_ACTIVATIONS = ['relu', 'relu6', 'hswish', 'hsigmoid', 'sigmoid'] as const;
export type NonlinearActivation = typeof NONLINEAR_ACTIVATIONS[number];

/** A kernel that skips zero weights: the only pattern a ModelSpec can express is unstructured. */
export interface SparseKernel {
  pattern: 'unstructured';
  /** Used at or above this share of zero weights (XNNPACK: 2/3). */
  minSparsity: number;
  /** Layer kinds it applies to; null = every weight kind. */
  kinds: LayerKind[] | null;
  /** Executed precisions it applies to; null = every native one. */
  precisions: Precision[] | null;
}

export interface Profile {
  id: string;
  name: string;
  runtime: string;
  class: 'cpu' | 'gpu' | 'npu' | 'mcu' | 'asic' | 'fpga' | 'host';
  /** Peak operations per second (1 MAC = 2 ops) per natively executed precision. */
  peakOpsPerSec: Partial<Record<Precision, number>>;
  native: {
    precisions: Precision[];
    sparseKernels: SparseKernel[];
    /** The device runs only quantized models (an Edge TPU): anything else is infeasible. */
    requiresQuantization: boolean;
    folding: Folding;
    /** 'kernel': x * 0 runs and reads its input; 'constant': it is a constant buffer (its input need not exist). */
    zeros: 'kernel' | 'constant';
    fusion: Fusion;
    /**
     * Kernels the runtime runs for an activation it does not fuse (absent: 1). tfjs-layers
     * runs relu6 as relu + minimum (2), hard sigmoid as mul + add + clip (3) and hswish as
     * hard sigmoid + multiply (4); TFLite has one kernel for each.
     */
    activationKernels: Partial<Record<NonlinearActivation, number>>;
    /** Activations a conv, depthwise or dense kernel applies itself; null = all of them. The others run as activationKernels after it. */
    fusedActivations: NonlinearActivation[] | null;
  };
  memory: {
    /** Main-memory (DRAM) bandwidth: the roof for tensors that do not fit on chip. null = no roof. */
    bandwidthBytesPerSec: number | null;
    /** On-chip (SRAM / last-level cache) bandwidth; null = no roof for on-chip tensors. */
    sramBandwidthBytesPerSec: number | null;
    /** Flash read bandwidth (microcontroller weights); null = no roof. */
    flashBandwidthBytesPerSec: number | null;
    sramBytes: number | null;
    flashBytes: number | null;
    dramBytes: number | null;
    /** 'hard': activations must fit SRAM and weights flash (microcontrollers); 'soft': caches. */
    limits: 'hard' | 'soft';
  };
  /** Fixed cost of one inference call (runtime invoke, host round trip), paid even by an empty model. */
  invokeOverheadSec: number;
  /** Fixed cost of launching one kernel (layer). */
  overheadSec: number;
  /** Kinds whose kernels cost a different fixed time (a GPU's conv launch vs an elementwise one). */
  overheadPerKindSec: Partial<Record<LayerKind, number>>;
  /** Share of peak each layer kind reaches; kinds without a figure use 'other'. */
  efficiency: Record<CoreKind, number> & Partial<Record<LayerKind, number>>;
  energy: {
    perMacPj: Partial<Record<Precision, number>>;
    /** Per byte read or written at each memory level; flash, when absent, costs as SRAM. */
    perBytePj: { sram: number; dram: number; flash?: number };
    /**
     * Power drawn for as long as an inference runs, whatever it computes (leakage, clocks,
     * the board): energy adds it times the latency. Absent: 0, only the work's energy. Measured
     * devices draw nearly constant power (HW-NAS-Bench's Jetson TX2: 4.5 W +-4% over NB201),
     * which calibration fits from measured energies.
     */
    staticWatts?: number;
    source: string;
  };
  powerWatts: number | null;
  /** Key paths whose values are estimates, not sourced facts. */
  estimates: string[];
  sources: string[];
}

export const efficiencyOf = (p: Profile, kind: LayerKind): number => p.efficiency[kind] ?? p.efficiency.other;
export const overheadOf = (p: Profile, kind: LayerKind): number => p.overheadPerKindSec[kind] ?? p.overheadSec;
