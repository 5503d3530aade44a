/** A learnable synthetic 4-class task: each class is a bright bar in a different quadrant, plus noise. */
import { Rng } from '../../core/rng.js';
import type { TrainData } from '../../evaluators/training/train.js';

export function quadrantSplit(count: number, seed: number): TrainData['train'] {
  const rng = new Rng(seed);
  const pixels = new Uint8Array(count * 12 * 12);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const label = rng.int(4);
    labels[i] = label;
    const top = label < 2 ? 1 : 7, left = label % 2 === 0 ? 1 : 7;
    for (let p = 0; p < 144; p++) pixels[i * 144 + p] = rng.int(60);
    for (let r = top; r < top + 4; r++) for (let c = left; c < left + 4; c++) pixels[i * 144 + r * 12 + c] = 200 + rng.int(55);
  }
  return { pixels, labels, count };
}

export function quadrantData(train = 512, seed = 1): TrainData {
  return { inputShape: [12, 12, 1], numClasses: 4, train: quadrantSplit(train, seed), validation: quadrantSplit(128, seed + 1), test: quadrantSplit(128, seed + 2) };
}
