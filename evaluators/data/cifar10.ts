/**
 * `cifar10`: the binary release (data_batch_1..5.bin, test_batch.bin; each record is a
 * label byte then 3072 bytes of 32x32 RGB in channel-major order), converted to HWC.
 */
import { UserError } from '../../core/errors.js';
import { DATASET_SHAPES } from '../../spaces/dataset-shapes.js';
import type { Dataset, LoadOptions } from './dataset.js';
import { readMaybeGzip } from './idx.js';
import { candidateDirs, findFile } from './locate.js';
import { gatherSplit } from './shared.js';
import { stratifiedSplit } from './split.js';

export const CIFAR_CLASSES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];
export const CIFAR_TRAIN_FILES = ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin'];
export const CIFAR_TEST_FILE = 'test_batch.bin';
export const CIFAR_URL = 'https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz';
const RECORD = 1 + 3072;

export function cifarDirs(options: LoadOptions): string[] {
  return candidateDirs(['cifar10', 'cifar-10-batches-bin', 'cifar10/cifar-10-batches-bin'], options);
}

export function findCifar10(options: LoadOptions): string | null {
  return cifarDirs(options).find((dir) => [...CIFAR_TRAIN_FILES, CIFAR_TEST_FILE].every((f) => findFile(dir, f) !== null)) ?? null;
}

/** Parses one batch file into HWC pixels and labels. */
export function parseCifarBatch(bytes: Uint8Array, path: string): { pixels: Uint8Array; labels: Uint8Array; count: number } {
  if (bytes.length === 0 || bytes.length % RECORD !== 0) {
    throw new UserError(`${path}: ${bytes.length} bytes is not a whole number of ${RECORD}-byte CIFAR-10 records (a full batch is 30,730,000 bytes)`, 'the file is truncated or corrupt: re-download it');
  }
  const count = bytes.length / RECORD;
  const pixels = new Uint8Array(count * 3072), labels = new Uint8Array(count);
  for (let r = 0; r < count; r++) {
    const base = r * RECORD;
    const label = bytes[base]!;
    if (label > 9) throw new UserError(`${path}: record ${r} has label ${label}, expected 0..9`);
    labels[r] = label;
    for (let p = 0; p < 1024; p++) {
      const out = r * 3072 + p * 3;
      pixels[out] = bytes[base + 1 + p]!;
      pixels[out + 1] = bytes[base + 1 + 1024 + p]!;
      pixels[out + 2] = bytes[base + 1 + 2048 + p]!;
    }
  }
  return { pixels, labels, count };
}

export function loadCifar10(options: LoadOptions): Dataset {
  const dir = findCifar10(options);
  if (dir === null) {
    throw new UserError(`cifar10 not found (looked in ${cifarDirs(options).join(', ')})`, 'pass --data DIR with the binary batches, or run: hwnas data download cifar10');
  }
  const batches = CIFAR_TRAIN_FILES.map((f) => { const path = findFile(dir, f)!; return parseCifarBatch(readMaybeGzip(path), path); });
  const count = batches.reduce((s, b) => s + b.count, 0);
  const pixels = new Uint8Array(count * 3072), labels = new Uint8Array(count);
  let at = 0;
  for (const b of batches) { pixels.set(b.pixels, at * 3072); labels.set(b.labels, at); at += b.count; }
  const testPath = findFile(dir, CIFAR_TEST_FILE)!;
  const test = parseCifarBatch(readMaybeGzip(testPath), testPath);
  // All batches hold the same number of records (10,000 in the release): one cut short at a record boundary is still truncated.
  const records = Math.max(test.count, ...batches.map((b) => b.count));
  [...batches, test].forEach((b, i) => {
    if (b.count !== records) {
      const name = i < batches.length ? CIFAR_TRAIN_FILES[i]! : CIFAR_TEST_FILE;
      throw new UserError(`${findFile(dir, name)}: ${b.count} records where the other batches hold ${records}`, 'the file is truncated: re-download it (hwnas data download cifar10)');
    }
  });
  const validationSize = options.validationSize ?? Math.min(5000, Math.floor(count / 10));
  if (validationSize < 0 || validationSize >= count) throw new UserError(`validation size ${validationSize} must be below cifar10's ${count} training images, which training needs some of`, `e.g. --validation 5000 (at most ${count - 1})`);
  const [validation, train] = stratifiedSplit(labels, [validationSize, 0], options.seed ?? 0);
  return {
    name: 'cifar10', ...DATASET_SHAPES.cifar10, classNames: CIFAR_CLASSES,
    train: gatherSplit(pixels, labels, 3072, train!), validation: gatherSplit(pixels, labels, 3072, validation!),
    test: gatherSplit(test.pixels, test.labels, 3072, Int32Array.from({ length: test.count }, (_, i) => i)),
    source: dir,
  };
}
