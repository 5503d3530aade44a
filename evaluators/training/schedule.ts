/** Learning-rate schedules as pure functions of training progress. */

export type LrSchedule =
  | { kind: 'constant' }
  | { kind: 'cosine'; warmupEpochs?: number; minFactor?: number }
  | { kind: 'step'; everyEpochs: number; factor: number }
  | { kind: 'exponential'; perEpoch: number };

export const LR_SCHEDULE_KINDS = ['constant', 'cosine', 'step', 'exponential'] as const;

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
