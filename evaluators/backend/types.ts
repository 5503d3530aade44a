/**
 * Shapes shared by backend resolution: what each attempt recorded, what the chosen
 * backend reports, and the loader functions that tests replace with fakes.
 */

/** The backends hwnas knows, fastest first. */
export type BackendName = 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';

/** One try at loading a backend, in the order tried. */
export interface BackendAttempt {
  name: BackendName;
  ok: boolean;
  /** Why it did not load (first line only); absent when `ok`. */
  reason?: string;
  /** Wall time the attempt took, in milliseconds. */
  ms: number;
}

/** What the wasm backend can do on this machine. */
export interface WasmFacts {
  /** WebAssembly SIMD is available (about 3x faster kernels). */
  simd: boolean;
  /** Multi-threaded wasm is available (SharedArrayBuffer plus a threaded build). */
  threads: boolean;
  /** Threads XNNPACK actually uses, when the backend reports it. */
  threadsCount?: number;
}

/** The result of backend resolution: the active tfjs backend and how it was chosen. */
export interface BackendReport {
  name: BackendName;
  /** The name tfjs knows it by (`tf.getBackend()`): both native packages register `tensorflow`. */
  tfBackendName: string;
  attempts: BackendAttempt[];
  wasm?: WasmFacts;
  /** Kernels hwnas installed on top of the stock backend so conv nets can train. */
  trainingKernels: string[];
}

/** What a loader reports once its backend is the active tfjs backend. */
export interface LoadedBackend {
  tfBackendName: string;
  wasm?: WasmFacts;
  trainingKernels?: string[];
}

/**
 * Loads one backend and makes it the active tfjs backend, or throws an Error whose
 * first line says why not (that line becomes the attempt's `reason`).
 */
export type BackendLoader = () => Promise<LoadedBackend>;

/** One loader per backend; tests pass fakes to simulate backends that fail. */
export type BackendLoaders = Readonly<Record<BackendName, BackendLoader>>;
