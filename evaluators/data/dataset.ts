/**
 * Datasets as the trainer and the worker pool see them: uint8 NHWC pixels and uint8
 * labels per split, backed by SharedArrayBuffers, so every pool worker reads the one copy
 * the controller loaded (Fashion-MNIST's 60k training images are 47 MB as bytes, 188 MB
 * as float32; the trainer converts one batch at a time).
 */
export const DATASET_NAMES = ['mnist', 'fashion-mnist', 'cifar10'] as const;
export type DatasetName = typeof DATASET_NAMES[number];

export interface Split {
  /** count * h * w * c bytes, NHWC, 0..255. */
  pixels: Uint8Array;
  labels: Uint8Array;
  count: number;
}

export interface Dataset {
  name: DatasetName;
  inputShape: [number, number, number];
  numClasses: number;
  classNames: string[];
  train: Split;
  validation: Split;
  test: Split;
  /** Where it was loaded from, for reports. */
  source: string;
}

export interface LoadOptions {
  /** A directory holding the dataset's files (`--data DIR`). */
  dataDir?: string;
  /** Where downloads are kept (default $XDG_CACHE_HOME/hwnas or ~/.cache/hwnas). */
  cacheDir?: string;
  /** Seeds the train/validation split (and mnist's test split). */
  seed?: number;
  /** Examples held out of the training set for validation. */
  validationSize?: number;
  /** Download into the cache when the files are nowhere else (never done implicitly in tests). */
  download?: boolean;
}
