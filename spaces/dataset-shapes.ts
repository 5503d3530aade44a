/** Input shapes and class counts of the datasets hwnas knows, for costing a genotype without loading its data (the loaders use them too). */
import { UserError } from '../core/errors.js';
import type { DatasetShape } from './builtin.js';

export const DATASET_SHAPES = {
  mnist: { inputShape: [28, 28, 1], numClasses: 10 },
  'fashion-mnist': { inputShape: [28, 28, 1], numClasses: 10 },
  cifar10: { inputShape: [32, 32, 3], numClasses: 10 },
} satisfies Record<string, DatasetShape>;

export const datasetShape = (name: string): DatasetShape | undefined => (DATASET_SHAPES as Record<string, DatasetShape>)[name];

/** The shape, or a one-line error naming the datasets there are; `why` says what the shape is for. */
export function requireDatasetShape(name: string, why = ''): DatasetShape {
  const shape = datasetShape(name);
  if (shape === undefined) throw new UserError(`unknown dataset '${name}'`, `use one of ${Object.keys(DATASET_SHAPES).join(', ')}${why}`);
  return shape;
}
