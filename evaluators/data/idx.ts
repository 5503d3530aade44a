/**
 * IDX files (the MNIST format): a big-endian header (magic 2051 for images, 2049 for
 * labels; then the dimensions) followed by uint8 data. Files may be gzipped. Every
 * inconsistency is a UserError naming the file and what was expected.
 */
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { UserError } from '../../core/errors.js';

export function readMaybeGzip(path: string): Buffer {
  const raw = readFileSync(path);
  if (raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b) {
    try {
      return gunzipSync(raw);
    } catch (error) {
      throw new UserError(`${path}: corrupt gzip data (${(error as Error).message})`, 'delete the file and reinstall or re-download it');
    }
  }
  return raw;
}

export interface IdxImages { count: number; rows: number; cols: number; pixels: Uint8Array }

export function parseIdxImages(bytes: Buffer, path: string, expectedCount?: number): IdxImages {
  if (bytes.length < 16) throw new UserError(`${path}: truncated IDX image file (${bytes.length} bytes, the header alone is 16)`);
  const magic = bytes.readUInt32BE(0);
  if (magic !== 2051) throw new UserError(`${path}: bad magic ${magic}, expected 2051 (IDX images)`);
  const count = bytes.readUInt32BE(4), rows = bytes.readUInt32BE(8), cols = bytes.readUInt32BE(12);
  if (expectedCount !== undefined && count !== expectedCount) throw new UserError(`${path}: holds ${count} images, expected ${expectedCount}`);
  // An empty test set scores "NaN%", an empty training set trains nothing: neither is data.
  if (count === 0) throw new UserError(`${path}: holds no images`, 'the file is truncated or corrupt: reinstall or re-download it');
  const expected = 16 + count * rows * cols;
  if (bytes.length !== expected) {
    throw new UserError(`${path}: expected ${expected} bytes for ${count} ${rows}x${cols} images, found ${bytes.length}`, 'the file is truncated or corrupt: reinstall or re-download it');
  }
  return { count, rows, cols, pixels: new Uint8Array(bytes.buffer, bytes.byteOffset + 16, count * rows * cols) };
}

export function parseIdxLabels(bytes: Buffer, path: string, numClasses: number, expectedCount?: number): Uint8Array {
  if (bytes.length < 8) throw new UserError(`${path}: truncated IDX label file (${bytes.length} bytes, the header alone is 8)`);
  const magic = bytes.readUInt32BE(0);
  if (magic !== 2049) throw new UserError(`${path}: bad magic ${magic}, expected 2049 (IDX labels)`);
  const count = bytes.readUInt32BE(4);
  if (expectedCount !== undefined && count !== expectedCount) throw new UserError(`${path}: holds ${count} labels, expected ${expectedCount}`);
  if (bytes.length !== 8 + count) throw new UserError(`${path}: expected ${8 + count} bytes for ${count} labels, found ${bytes.length}`, 'the file is truncated or corrupt: reinstall or re-download it');
  const labels = new Uint8Array(bytes.buffer, bytes.byteOffset + 8, count);
  const bad = labels.findIndex((l) => l >= numClasses);
  if (bad >= 0) throw new UserError(`${path}: label ${labels[bad]} at index ${bad} is out of range (expected 0..${numClasses - 1})`);
  return labels;
}
