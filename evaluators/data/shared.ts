/** SharedArrayBuffer-backed splits, and the structured-clone-safe form posted to workers. */
import type { Dataset, Split } from './dataset.js';

export function sharedBytes(length: number): Uint8Array {
  return new Uint8Array(new SharedArrayBuffer(length));
}

/** Copies examples `indices` of a source split into a new shared split. */
export function gatherSplit(pixels: Uint8Array, labels: Uint8Array, pixelsPerExample: number, indices: ArrayLike<number>): Split {
  const out = { pixels: sharedBytes(indices.length * pixelsPerExample), labels: sharedBytes(indices.length), count: indices.length };
  for (let i = 0; i < indices.length; i++) {
    const example = indices[i]!;
    out.pixels.set(pixels.subarray(example * pixelsPerExample, (example + 1) * pixelsPerExample), i * pixelsPerExample);
    out.labels[i] = labels[example]!;
  }
  return out;
}

/**
 * A dataset as plain data for `postMessage`/Piscina: typed arrays over SharedArrayBuffers
 * are shared by structured clone, not copied, so this is the same object graph.
 */
export type SharedDataset = Dataset;

export function toShared(dataset: Dataset): SharedDataset {
  for (const split of [dataset.train, dataset.validation, dataset.test]) {
    if (!(split.pixels.buffer instanceof SharedArrayBuffer) || !(split.labels.buffer instanceof SharedArrayBuffer)) {
      throw new Error(`${dataset.name}: splits must be backed by SharedArrayBuffer to be shared with workers`);
    }
  }
  return dataset;
}

export function fromShared(shared: SharedDataset): Dataset {
  return shared;
}
