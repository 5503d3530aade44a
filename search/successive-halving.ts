/**
 * Multi-fidelity successive halving (Jamieson & Talwalkar 2016; Hyperband's inner loop)
 * with Pareto promotion. A bracket starts `bracketSize` candidates at the cheapest rung;
 * when a rung is fully told, the best 1/eta of it, ranked by non-dominated front and then
 * crowding distance over all objectives (with constraint domination), go on to the next
 * rung with eta times the training. Only the last rung trains at full fidelity. Ranking a
 * whole front instead of one scalar is what lets promotion serve a Pareto objective
 * (Optuna's pruners cannot: optuna#3450).
 *
 * Every full-fidelity result joins an archive ranked as NSGA-II ranks its population
 * (front, then crowding; capped at `archiveSize`). New brackets draw `randomShare` of their
 * candidates at random and the rest as children (binary tournament on the archive,
 * crossover, mutation), so later brackets start from everything earlier ones learned and
 * the cheap rung screens NSGA-II-style children, not random ones. Rungs run one at a time, so proposals do not depend on
 * the number of workers or the order they finish in.
 */
import type { Json } from '../core/json.js';
import { Rng, type RngState } from '../core/rng.js';
import { crossover, mutate, sample } from '../spaces/operators.js';
import type { Genotype, SpaceDefinition } from '../spaces/space.js';
import { freshGenotype, genotypeCount } from './batched-trials.js';
import { paretoRanking, survivors, tournament } from './pareto.js';
import { trialSeed, type Ask, type Fidelity, type Strategy, type ToldTrial } from './strategy.js';

export interface HalvingOptions {
  /** Rungs per bracket (the last is full fidelity). */
  rungs: number;
  /** Promotion ratio: 1/eta of a rung advances, with eta times the training. */
  eta: number;
  /** Candidates at the first rung of each bracket. */
  bracketSize: number;
  mutationRate: number;
  /** Share of a new bracket drawn at random rather than bred from the archive (default 0.3). */
  randomShare?: number;
  /** Full-fidelity results kept as parents (default 32). */
  archiveSize?: number;
  maxTrials?: number;
  /** Fidelity of rung r; by default the full fidelity's epochs times eta^(r - rungs + 1). */
  fidelityOf?: (rung: number) => Fidelity;
}

/**
 * Settings for a table with two fidelities (NB201's 12 and 200 epochs): a third rung would
 * read the same 12-epoch column again. Twelve candidates screened, four trained in full.
 */
export const TABULAR_HALVING: HalvingOptions = { rungs: 2, eta: 3, bracketSize: 12, mutationRate: 0.25, randomShare: 0.2 };
/** Epochs of a table's cheap columns (NB201's valid12/test12). */
export const TABLE_CHEAP_EPOCHS = 12;

/** TABULAR_HALVING with the table's real fidelities: the cheap rung is 12 epochs (stored and shown so), the last `full`. */
export function tabularHalving(full: Fidelity): HalvingOptions {
  return { ...TABULAR_HALVING, fidelityOf: (rung) => ({ ...full, epochs: rung === 0 ? TABLE_CHEAP_EPOCHS : full.epochs, rung }) };
}

interface Entry { number: number; genotype: Genotype; objectives?: number[]; violation: number; ok: boolean }

export interface HalvingState {
  rng: RngState; next: number; rung: number;
  /** Trial numbers and genotypes of the current rung. */
  current: Array<{ number: number; genotype: Genotype }>;
  /** Results of the current rung so far. */
  told: ToldTrial[];
  /** Candidates still to ask at the current rung. */
  pending: Genotype[];
  /** Full-fidelity results so far, best first (front, then crowding): the parents of new brackets. */
  archive: Array<{ genotype: Genotype; objectives: number[]; violation: number }>;
  seen: string[];
}

export class SuccessiveHalving implements Strategy {
  readonly name = 'halving';
  private state: HalvingState;
  private rng: Rng;
  /** The state's `seen` hashes as a set (the state keeps the list, for JSON). */
  private readonly seen: Set<string>;
  /** Distinct genotypes in the space. */
  private readonly size: number;

  constructor(private readonly space: SpaceDefinition, private readonly runSeed: number, private readonly full: Fidelity,
    private readonly options: HalvingOptions, state?: HalvingState) {
    if (!(options.rungs >= 1 && options.eta >= 2 && options.bracketSize >= options.eta ** (options.rungs - 1))) {
      throw new RangeError(`bracketSize must be at least eta^(rungs-1) = ${options.eta ** (options.rungs - 1)}`);
    }
    this.rng = new Rng(state?.rng ?? runSeed);
    this.state = state ?? { rng: this.rng.state(), next: 0, rung: 0, current: [], told: [], pending: [], archive: [], seen: [] };
    // A state saved before the archive existed resumes with an empty one.
    this.state.archive ??= [];
    this.seen = new Set(this.state.seen);
    this.size = genotypeCount(space);
    if (state === undefined) this.state.pending = this.newBracket();
  }

  fidelityOf(rung: number): Fidelity {
    if (this.options.fidelityOf) return this.options.fidelityOf(rung);
    const scale = this.options.eta ** (rung - (this.options.rungs - 1));
    return { epochs: this.full.epochs * scale, trainFraction: this.full.trainFraction, rung };
  }

  private fresh(make: () => Genotype): Genotype {
    const { genotype, hash } = freshGenotype(this.seen, make);
    this.state.seen.push(hash);
    return genotype;
  }

  private parent(): Genotype {
    return tournament(this.state.archive, this.rng).genotype;
  }

  /** A new bracket of genotypes new to the run; smaller, or empty, once a small space runs out. */
  private newBracket(): Genotype[] {
    const randomShare = this.options.randomShare ?? 0.3;
    const bracket: Genotype[] = [];
    while (bracket.length < this.options.bracketSize && this.seen.size < this.size) {
      bracket.push(this.fresh(() => {
        if (this.state.archive.length < 2 || this.rng.next() < randomShare) return sample(this.space, this.rng);
        return mutate(this.space, this.rng, crossover(this.space, this.rng, this.parent(), this.parent()), this.options.mutationRate);
      }));
    }
    return bracket;
  }

  ask(): Ask {
    const s = this.state;
    if (s.next >= (this.options.maxTrials ?? Infinity)) return s.current.length > s.told.length ? { kind: 'wait' } : { kind: 'done' };
    const genotype = s.pending.shift();
    // Nothing pending and nothing out: every genotype of a small space has been through its brackets.
    if (genotype === undefined) return s.current.length === 0 ? { kind: 'done' } : { kind: 'wait' };
    const number = s.next++;
    s.current.push({ number, genotype });
    return { kind: 'trial', proposal: { number, genotype, fidelity: this.fidelityOf(s.rung), seed: trialSeed(this.runSeed, number) } };
  }

  tell(trial: ToldTrial): void {
    const s = this.state;
    if (!s.current.some((c) => c.number === trial.number) || s.told.some((t) => t.number === trial.number)) return;
    s.told.push(trial);
    if (s.pending.length > 0 || s.told.length < s.current.length) return;
    // The rung is complete: rank it (failures last), remember its Pareto set, promote or start anew.
    const entries: Entry[] = s.current.map((c) => {
      const t = s.told.find((x) => x.number === c.number)!;
      const ok = t.state === 'complete' && t.objectives !== undefined;
      return { number: c.number, genotype: c.genotype, ok, violation: ok ? t.violation ?? 0 : Infinity, ...(ok ? { objectives: t.objectives! } : {}) };
    });
    const good = entries.filter((e) => e.ok);
    const order = paretoRanking(good.map((e) => e.objectives!), good.map((e) => e.violation)).map((i) => good[i]!);
    if (s.rung === this.options.rungs - 1) {
      // Full-fidelity results: merge into the archive and keep its best, as NSGA-II keeps its population.
      const merged = [...s.archive, ...good.map((e) => ({ genotype: e.genotype, objectives: e.objectives!, violation: e.violation }))];
      s.archive = survivors(merged, this.options.archiveSize ?? 32);
    }
    // At least one goes up while any trial succeeded: with failures a rung can be smaller than eta, and rounding
    // down to none started a new bracket, so nothing ever reached full fidelity.
    const promote = Math.max(1, Math.floor(entries.length / this.options.eta));
    s.current = [];
    s.told = [];
    if (s.rung + 1 < this.options.rungs && order.length > 0) {
      s.rung++;
      s.pending = order.slice(0, promote).map((e) => e.genotype);
    } else {
      s.rung = 0;
      s.pending = this.newBracket();
    }
    s.rng = this.rng.state();
  }

  snapshot(): Json {
    this.state.rng = this.rng.state();
    return JSON.parse(JSON.stringify(this.state)) as Json;
  }
}
