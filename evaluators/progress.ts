/**
 * Live progress of a trial in a worker: which stage, epoch and batch it is at and how fast
 * it trains, reported at most once per interval so the controller's one writer stores a
 * few small updates per second across the pool, not one per batch.
 */
import type { BatchProgress } from './training/train.js';

export interface TrialProgress {
  stage: 'training' | 'fine-tuning';
  /** 1-based epoch of `epochs` (fractional budgets round up: 0.5 epochs is epoch 1 of 1). */
  epoch: number;
  epochs: number;
  /** Batches done in this epoch, of `batches`. */
  batch: number;
  batches: number;
  loss: number;
  /** Training images per second since the previous report. */
  imagesPerSecond: number;
  /** Unix seconds of the report. */
  at: number;
}

export type ProgressSink = (progress: TrialProgress) => void;

/**
 * An onBatch callback for trainModel that reports through `sink`. Images per second are the
 * images trained on over the seconds spent training them since the last report, so a short last
 * batch and the evaluation between epochs do not skew it. `now` is injectable for tests.
 */
export function batchReporter(sink: ProgressSink, stage: TrialProgress['stage'], epochs: number,
  intervalMs = 1000, now: () => number = Date.now): (p: BatchProgress) => void {
  let lastAt = now(), images = 0, seconds = 0, first = true;
  return (p) => {
    images += p.images;
    seconds += p.seconds;
    const t = now();
    const last = p.batch + 1 === p.batches && p.epoch + 1 >= Math.ceil(epochs);
    if (!first && !last && t - lastAt < intervalMs) return;
    sink({ stage, epoch: p.epoch + 1, epochs: Math.max(1, Math.ceil(epochs)), batch: p.batch + 1, batches: p.batches, loss: p.loss,
      imagesPerSecond: seconds > 0 ? images / seconds : 0, at: t / 1000 });
    first = false; lastAt = t; images = 0; seconds = 0;
  };
}
