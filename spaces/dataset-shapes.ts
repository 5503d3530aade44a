/** Input shapes and class counts of the datasets hwnas knows, for costing a genotype without loading its data. */
import type { DatasetShape } from './builtin.js';

export const DATASET_SHAPES: Readonly<Record<string, DatasetShape>> = {
  mnist: { inputShape: [28, 28, 1], numClasses: 10 },
  'fashion-mnist': { inputShape: [28, 28, 1], numClasses: 10 },
  cifar10: { inputShape: [32, 32, 3], numClasses: 10 },
};

export const datasetShape = (name: string): DatasetShape | undefined => DATASET_SHAPES[name];
