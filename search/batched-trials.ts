/**
 * The bookkeeping of a strategy that learns only from whole batches of trials (regularized
 * evolution, NSGA-II): trial n is in batch floor(n / batchSize); a batch's results are
 * released to the strategy once every trial in it is back, oldest batch first, in trial
 * order; and a trial past the warm-up waits until every batch before its own is released.
 * That is what makes a seeded run propose the same trials whatever the number of workers
 * or the order they finish in. It also keeps the strategy's Rng and the hashes of the
 * genotypes proposed, so all of it resumes from one JSON state.
 */
import { Rng, type RngState } from '../core/rng.js';
import { genotypeHash, spaceSize } from '../spaces/operators.js';
import type { Genotype, SpaceDefinition } from '../spaces/space.js';
import { trialSeed, type Ask, type Fidelity, type ToldTrial } from './strategy.js';

/** What resumes a BatchedTrials (a strategy's state adds its own fields, and the count of released batches under its own name). */
export interface BatchedTrialsState { rng: RngState; next: number; asked: Array<[number, Genotype]>; told: ToldTrial[]; seen: string[] }

/** A complete trial of a released batch, or one rejected for its budgets (violation > 0). */
export interface Completed { number: number; genotype: Genotype; objectives: number[]; violation: number }

export interface BatchedTrialsOptions {
  runSeed: number; fidelity: Fidelity; batchSize: number;
  /** Trials before this number are warm-up samples: they may be asked before any batch is released. */
  warmUpTrials: number;
  maxTrials: number;
  /** Distinct genotypes in the space (genotypeCount): once all were proposed, the run is done. */
  spaceSize: number;
}

/** How many distinct genotypes a space has; Infinity with a continuous parameter. */
export function genotypeCount(space: SpaceDefinition): number {
  const size = spaceSize(space);
  return size === null ? Number.POSITIVE_INFINITY : Number(size);
}

/**
 * A genotype whose hash is not in `seen`, if one turns up in 20 more tries (a small space
 * runs out of new ones: then the last try), added to `seen`.
 */
export function freshGenotype(seen: Set<string>, make: () => Genotype): { genotype: Genotype; hash: string } {
  let genotype = make(), hash = genotypeHash(genotype);
  for (let attempt = 0; attempt < 20 && seen.has(hash); attempt++) { genotype = make(); hash = genotypeHash(genotype); }
  seen.add(hash);
  return { genotype, hash };
}

export class BatchedTrials {
  readonly rng: Rng;
  private next: number;
  /** Batches whose results have been released to the strategy. */
  released: number;
  private readonly asked: Map<number, Genotype>;
  private readonly told: Map<number, ToldTrial>;
  private readonly seen: Set<string>;

  constructor(private readonly options: BatchedTrialsOptions, state: BatchedTrialsState | undefined, released: number) {
    if (!(options.batchSize >= 1)) throw new RangeError('batchSize must be >= 1');
    this.rng = new Rng(state?.rng ?? options.runSeed);
    this.next = state?.next ?? 0;
    this.released = released;
    this.asked = new Map(state?.asked ?? []);
    this.told = new Map((state?.told ?? []).map((t) => [t.number, t]));
    this.seen = new Set(state?.seen ?? []);
  }

  /** The next trial, made by `make(warmUp)` and new to the run if possible; or wait for results; or done. */
  ask(make: (warmUp: boolean) => Genotype): Ask {
    const number = this.next;
    const { batchSize, warmUpTrials, maxTrials } = this.options;
    // Out of trials, or every genotype of a small space proposed (as Optuna's GridSampler ends): train nothing twice.
    if (number >= maxTrials || this.seen.size >= this.options.spaceSize) return this.asked.size > 0 ? { kind: 'wait' } : { kind: 'done' };
    const warmUp = number < warmUpTrials;
    if (!warmUp && this.released < Math.floor(number / batchSize)) return { kind: 'wait' };
    this.next++;
    const { genotype } = freshGenotype(this.seen, () => make(warmUp));
    this.asked.set(number, genotype);
    return { kind: 'trial', proposal: { number, genotype, fidelity: this.options.fidelity, seed: trialSeed(this.options.runSeed, number) } };
  }

  /** Records a result; hands `release` the complete trials of each batch this finishes, oldest batch first. */
  tell(trial: ToldTrial, release: (completed: Completed[]) => void): void {
    if (!this.asked.has(trial.number)) return;
    this.told.set(trial.number, trial);
    const { batchSize, maxTrials } = this.options;
    for (;;) {
      const start = this.released * batchSize, end = Math.min(start + batchSize, maxTrials);
      if (start >= end) break;
      const numbers = Array.from({ length: end - start }, (_, i) => start + i);
      if (!numbers.every((n) => this.told.has(n))) break;
      const completed: Completed[] = [];
      for (const number of numbers) {
        const t = this.told.get(number)!;
        const genotype = this.asked.get(number)!;
        this.told.delete(number);
        this.asked.delete(number);
        // Failed and pruned trials teach the population nothing. One rejected before training teaches by how much
        // it broke the budgets: constraint domination ranks it by that alone (its objectives are placeholders), so
        // until a trial fits, the next proposals descend from the nearest misses instead of being random samples.
        const rejected = t.state === 'rejected' && (t.violation ?? 0) > 0;
        if ((t.state === 'complete' || rejected) && t.objectives !== undefined) completed.push({ number, genotype, objectives: t.objectives, violation: t.violation ?? 0 });
      }
      release(completed);
      this.released++;
    }
  }

  state(): BatchedTrialsState {
    return { rng: this.rng.state(), next: this.next, asked: [...this.asked], told: [...this.told.values()], seen: [...this.seen] };
  }
}
