/** A dataset without images: what a table-answered run hands the pool (trials need only the input shape). */
import { requireDatasetShape } from '../../spaces/dataset-shapes.js';
import type { Dataset, DatasetName } from '../data/dataset.js';

export function shapeOnlyDataset(name: string): Dataset {
  const shape = requireDatasetShape(name);
  const empty = () => ({ pixels: new Uint8Array(0), labels: new Uint8Array(0), count: 0 });
  return { name: name as DatasetName, ...shape, classNames: [], train: empty(), validation: empty(), test: empty(), source: 'table (no images)' };
}
