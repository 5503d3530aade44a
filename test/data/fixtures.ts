/** Small generated dataset files, so loaders are tested without downloads. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export function idxImages(count: number, rows = 28, cols = 28, fill = (i: number, p: number) => (i * 7 + p) % 256): Buffer {
  const b = Buffer.alloc(16 + count * rows * cols);
  b.writeUInt32BE(2051, 0); b.writeUInt32BE(count, 4); b.writeUInt32BE(rows, 8); b.writeUInt32BE(cols, 12);
  for (let i = 0; i < count; i++) for (let p = 0; p < rows * cols; p++) b[16 + i * rows * cols + p] = fill(i, p);
  return b;
}

export function idxLabels(labels: number[]): Buffer {
  const b = Buffer.alloc(8 + labels.length);
  b.writeUInt32BE(2049, 0); b.writeUInt32BE(labels.length, 4);
  labels.forEach((l, i) => { b[8 + i] = l; });
  return b;
}

/** A fashion-mnist directory with `train` and `test` examples (labels cycle 0..9). */
export function fashionFixture(train = 50, test = 20, gzip = false): string {
  const dir = mkdtempSync(join(tmpdir(), 'hwnas-fashion-'));
  const write = (name: string, bytes: Buffer) => writeFileSync(join(dir, gzip ? `${name}.gz` : name), gzip ? gzipSync(bytes) : bytes);
  write('train-images-idx3-ubyte', idxImages(train));
  write('train-labels-idx1-ubyte', idxLabels(Array.from({ length: train }, (_, i) => i % 10)));
  write('t10k-images-idx3-ubyte', idxImages(test));
  write('t10k-labels-idx1-ubyte', idxLabels(Array.from({ length: test }, (_, i) => (i * 3) % 10)));
  return dir;
}

/** One CIFAR-10 record: label, then R, G, B planes where pixel p of channel c is (c * 50 + p + seed) % 256. */
export function cifarRecord(label: number, seed: number): Buffer {
  const b = Buffer.alloc(3073);
  b[0] = label;
  for (let c = 0; c < 3; c++) for (let p = 0; p < 1024; p++) b[1 + c * 1024 + p] = (c * 50 + p + seed) % 256;
  return b;
}

export function cifarFixture(perBatch = 4): string {
  const dir = mkdtempSync(join(tmpdir(), 'hwnas-cifar-'));
  const batch = (offset: number) => Buffer.concat(Array.from({ length: perBatch }, (_, i) => cifarRecord((offset + i) % 10, offset + i)));
  for (let b = 1; b <= 5; b++) writeFileSync(join(dir, `data_batch_${b}.bin`), batch(b * 10));
  writeFileSync(join(dir, 'test_batch.bin'), batch(0));
  return dir;
}
