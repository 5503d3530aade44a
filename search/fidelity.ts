/**
 * Whether a trial was evaluated at its run's full fidelity. A multi-fidelity search
 * (halving) trains most trials for a fraction of the epochs: their accuracies are cheap
 * estimates, and best, pareto and show say so rather than rank them as if final.
 */
import type { RunConfig } from './run-config.js';
import type { RunRecord, TrialRecord } from '../store/types.js';

/** Epochs as a person reads them: 0.222, not 0.2222222222222222. */
export function formatEpochs(epochs: number): string {
  return String(Number(epochs.toPrecision(3)));
}

export function fullFidelity(trial: TrialRecord, run: RunRecord): boolean {
  const full = (run.config as unknown as Partial<RunConfig>).fidelity;
  if (full === undefined) return true;
  const f = trial.fidelity as { epochs?: number; trainFraction?: number };
  return (f.epochs ?? 0) >= full.epochs && (f.trainFraction ?? 1) >= full.trainFraction;
}

/**
 * Complete trials whose genotype a later rung trained further (halving promotes a
 * genotype by training it again, as a new trial): their accuracy is an earlier, cheaper
 * estimate of the same network, so a trade-off lists the genotype once, at its last rung.
 */
export function supersededByLaterRung(trials: readonly TrialRecord[]): Set<number> {
  const lastRung = new Map<string, number>();
  for (const t of trials) lastRung.set(t.genotypeHash, Math.max(lastRung.get(t.genotypeHash) ?? t.rung, t.rung));
  return new Set(trials.filter((t) => t.rung < lastRung.get(t.genotypeHash)!).map((t) => t.id));
}

/** '' at full fidelity; otherwise what the trial got, e.g. "0.222 of 2 epochs (rung 0)". */
export function reducedFidelity(trial: TrialRecord, run: RunRecord): string {
  if (fullFidelity(trial, run)) return '';
  const full = (run.config as unknown as RunConfig).fidelity;
  const f = trial.fidelity as { epochs?: number; trainFraction?: number };
  const share = (f.trainFraction ?? 1) < full.trainFraction ? ` on ${Math.round(100 * (f.trainFraction ?? 1))}% of the data` : '';
  return `${formatEpochs(f.epochs ?? 0)} of ${formatEpochs(full.epochs)} epochs${share} (rung ${trial.rung})`;
}
