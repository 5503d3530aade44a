/**
 * `fashion-mnist`: Zalando's 60,000 + 10,000 28x28 grey images of 10 clothing classes,
 * from IDX files (raw or .gz) found by `candidateDirs`, or downloaded into the cache.
 */
import { createHash } from 'node:crypto';
import { UserError } from '../../core/errors.js';
import { DATASET_SHAPES } from '../../spaces/dataset-shapes.js';
import type { Dataset, LoadOptions } from './dataset.js';
import { parseIdxImages, parseIdxLabels, readMaybeGzip } from './idx.js';
import { candidateDirs, DEBIAN_FASHION_MNIST, defaultCacheDir, findFile } from './locate.js';
import { gatherSplit, sharedBytes } from './shared.js';
import { stratifiedSplit } from './split.js';

export const FASHION_CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];

/** SHA-256 of each file's decompressed content (the official release, as Debian ships it). */
export const FASHION_FILES = {
  'train-images-idx3-ubyte': 'c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888',
  'train-labels-idx1-ubyte': 'bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9',
  't10k-images-idx3-ubyte': '5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b',
  't10k-labels-idx1-ubyte': '0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34',
} as const;
export const FASHION_URL = 'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com';

export function fashionDirs(options: LoadOptions): string[] {
  return candidateDirs(['fashion-mnist'], options, [DEBIAN_FASHION_MNIST]);
}

/** The first directory holding all four files, with their paths. */
export function findFashionMnist(options: LoadOptions): { dir: string; files: Record<keyof typeof FASHION_FILES, string> } | null {
  for (const dir of fashionDirs(options)) {
    const files = Object.fromEntries(Object.keys(FASHION_FILES).map((name) => [name, findFile(dir, name)]));
    if (Object.values(files).every((f) => f !== null)) return { dir, files: files as Record<keyof typeof FASHION_FILES, string> };
  }
  return null;
}

export function notFound(options: LoadOptions): UserError {
  return new UserError(`fashion-mnist not found (looked in ${fashionDirs(options).join(', ')})`,
    'apt-get install dataset-fashion-mnist, or pass --data DIR with the four IDX files, or run: hwnas data download fashion-mnist');
}

export function loadFashionMnist(options: LoadOptions): Dataset {
  const found = findFashionMnist(options);
  if (found === null) throw notFound(options);
  const inCache = found.dir.startsWith(options.cacheDir ?? defaultCacheDir());
  const read = (name: keyof typeof FASHION_FILES) => {
    const bytes = readMaybeGzip(found.files[name]);
    // Downloads are checked against the release; other copies are checked for structure.
    if (inCache) {
      const digest = createHash('sha256').update(bytes).digest('hex');
      if (digest !== FASHION_FILES[name]) throw new UserError(`${found.files[name]}: checksum mismatch (sha256 ${digest.slice(0, 16)}..., expected ${FASHION_FILES[name].slice(0, 16)}...)`, 'delete it and run: hwnas data download fashion-mnist');
    }
    return bytes;
  };
  const trainImages = parseIdxImages(read('train-images-idx3-ubyte'), found.files['train-images-idx3-ubyte']);
  const trainLabels = parseIdxLabels(read('train-labels-idx1-ubyte'), found.files['train-labels-idx1-ubyte'], 10, trainImages.count);
  const testImages = parseIdxImages(read('t10k-images-idx3-ubyte'), found.files['t10k-images-idx3-ubyte']);
  const testLabels = parseIdxLabels(read('t10k-labels-idx1-ubyte'), found.files['t10k-labels-idx1-ubyte'], 10, testImages.count);
  for (const [images, name] of [[trainImages, 'train-images-idx3-ubyte'], [testImages, 't10k-images-idx3-ubyte']] as const) {
    if (images.rows !== 28 || images.cols !== 28) throw new UserError(`${found.files[name]}: images are ${images.rows}x${images.cols}, expected 28x28`);
  }
  const validationSize = options.validationSize ?? 5000;
  if (validationSize < 0 || validationSize >= trainImages.count) throw new UserError(`validation size ${validationSize} must be below fashion-mnist's ${trainImages.count} training images, which training needs some of`, `e.g. --validation 5000 (at most ${trainImages.count - 1})`);
  const [validation, train] = stratifiedSplit(trainLabels, [validationSize, 0], options.seed ?? 0);
  const all = Int32Array.from({ length: testImages.count }, (_, i) => i);
  const test = gatherSplit(testImages.pixels, testLabels, 784, all);
  return {
    name: 'fashion-mnist', ...DATASET_SHAPES['fashion-mnist'], classNames: FASHION_CLASSES,
    train: gatherSplit(trainImages.pixels, trainLabels, 784, train!),
    validation: gatherSplit(trainImages.pixels, trainLabels, 784, validation!),
    test, source: found.dir,
  };
}
