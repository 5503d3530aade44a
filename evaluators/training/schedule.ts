/** Learning-rate schedules as pure functions of training progress. */

export type LrSchedule =
  | { kind: 'constant' }
  | { kind: 'cosine'; warmupEpochs?: number; minFactor?: number }
  | { kind: 'step'; everyEpochs: number; factor: number }
  | { kind: 'exponential'; perEpoch: number };

export const LR_SCHEDULE_KINDS = ['constant', 'cosine', 'step', 'exponential'] as const;

/**
 * A schedule by name, as `--schedule` gives it, for a run of `totalEpochs`: step divides the
 * rate by 10 after each third of the run, exponential decays it to 1% by the end (the
 * common ImageNet-style settings, scaled to the run's length).
 */
export function scheduleNamed(kind: typeof LR_SCHEDULE_KINDS[number], totalEpochs: number): LrSchedule {
  const epochs = totalEpochs > 0 ? totalEpochs : 1;
  switch (kind) {
    case 'constant': return { kind };
    case 'cosine': return { kind };
    case 'step': return { kind, everyEpochs: epochs / 3, factor: 0.1 };
    case 'exponential': return { kind, perEpoch: 0.01 ** (1 / epochs) };
  }
}

/**
 * The learning rate at `epoch` (fractional: 2.5 is halfway through the third epoch) of
 * `totalEpochs`, for a base rate `baseLr`.
 */
export function learningRateAt(schedule: LrSchedule, baseLr: number, epoch: number, totalEpochs: number): number {
  switch (schedule.kind) {
    case 'constant':
      return baseLr;
    case 'cosine': {
      const warmup = schedule.warmupEpochs ?? 0;
      if (epoch < warmup) return baseLr * (epoch + 1e-3) / warmup;
      const span = Math.max(totalEpochs - warmup, 1e-9);
      const t = Math.min(1, (epoch - warmup) / span);
      const minFactor = schedule.minFactor ?? 0;
      return baseLr * (minFactor + (1 - minFactor) * 0.5 * (1 + Math.cos(Math.PI * t)));
    }
    case 'step':
      return baseLr * schedule.factor ** Math.floor(epoch / schedule.everyEpochs);
    case 'exponential':
      return baseLr * schedule.perEpoch ** epoch;
  }
}
