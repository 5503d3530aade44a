/**
 * Multi-fidelity successive halving (Jamieson & Talwalkar 2016; Hyperband's inner loop)
 * with Pareto promotion. A bracket starts `bracketSize` candidates at the cheapest rung;
 * when a rung is fully told, the best 1/eta of it, ranked by non-dominated front and then
 * crowding distance over all objectives (with constraint domination), go on to the next
 * rung with eta times the training. Only the last rung trains at full fidelity. Ranking a
 * whole front instead of one scalar is what lets promotion serve a Pareto objective
 * (Optuna's pruners cannot: optuna#3450).
 *
 * New brackets draw half their candidates at random and half as children (crossover +
 * mutation) of the Pareto set found at the highest rung so far, so later brackets start
 * from what earlier ones learned. Rungs run one at a time, so proposals do not depend on
 * the number of workers or the order they finish in.
 */
import type { Json } from '../core/json.js';
import { Rng, type RngState } from '../core/rng.js';
import { crossover, genotypeHash, mutate, sample } from '../spaces/operators.js';
import type { Genotype, SpaceDefinition } from '../spaces/space.js';
import { paretoRanking } from './pareto.js';
import { trialSeed, type Ask, type Fidelity, type Strategy, type ToldTrial } from './strategy.js';

export interface HalvingOptions {
  /** Rungs per bracket (the last is full fidelity). */
  rungs: number;
  /** Promotion ratio: 1/eta of a rung advances, with eta times the training. */
  eta: number;
  /** Candidates at the first rung of each bracket. */
  bracketSize: number;
  mutationRate: number;
  maxTrials?: number;
  /** Fidelity of rung r; by default the full fidelity's epochs times eta^(r - rungs + 1). */
  fidelityOf?: (rung: number) => Fidelity;
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
  /** Best results per rung so far (the parents of new brackets come from the highest). */
  elite: Array<{ rung: number; genotype: Genotype; objectives: number[]; violation: number }>;
  seen: string[];
}

export class SuccessiveHalving implements Strategy {
  readonly name = 'halving';
  private state: HalvingState;
  private rng: Rng;

  constructor(private readonly space: SpaceDefinition, private readonly runSeed: number, private readonly full: Fidelity,
    private readonly options: HalvingOptions, state?: HalvingState) {
    if (!(options.rungs >= 1 && options.eta >= 2 && options.bracketSize >= options.eta ** (options.rungs - 1))) {
      throw new RangeError(`bracketSize must be at least eta^(rungs-1) = ${options.eta ** (options.rungs - 1)}`);
    }
    this.rng = new Rng(state?.rng ?? runSeed);
    this.state = state ?? { rng: this.rng.state(), next: 0, rung: 0, current: [], told: [], pending: [], elite: [], seen: [] };
    if (state === undefined) this.state.pending = this.newBracket();
  }

  fidelityOf(rung: number): Fidelity {
    if (this.options.fidelityOf) return this.options.fidelityOf(rung);
    const scale = this.options.eta ** (rung - (this.options.rungs - 1));
    return { epochs: this.full.epochs * scale, trainFraction: this.full.trainFraction, rung };
  }

  private fresh(make: () => Genotype): Genotype {
    let g = make();
    for (let i = 0; i < 20 && this.state.seen.includes(genotypeHash(g)); i++) g = make();
    this.state.seen.push(genotypeHash(g));
    return g;
  }

  private newBracket(): Genotype[] {
    const topRung = Math.max(-1, ...this.state.elite.map((e) => e.rung));
    const parents = this.state.elite.filter((e) => e.rung === topRung);
    return Array.from({ length: this.options.bracketSize }, (_, i) => this.fresh(() => {
      if (parents.length < 2 || i % 2 === 0) return sample(this.space, this.rng);
      const a = this.rng.pick(parents), b = this.rng.pick(parents);
      return mutate(this.space, this.rng, crossover(this.space, this.rng, a.genotype, b.genotype), this.options.mutationRate);
    }));
  }

  ask(): Ask {
    const s = this.state;
    if (s.next >= (this.options.maxTrials ?? Infinity)) return s.current.length > s.told.length ? { kind: 'wait' } : { kind: 'done' };
    const genotype = s.pending.shift();
    if (genotype === undefined) return { kind: 'wait' };
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
    const front = order.filter((e) => e.violation === 0).slice(0, Math.max(2, Math.ceil(good.length / this.options.eta)));
    s.elite = [...s.elite.filter((e) => e.rung !== s.rung), ...front.map((e) => ({ rung: s.rung, genotype: e.genotype, objectives: e.objectives!, violation: e.violation }))];
    const promote = Math.floor(entries.length / this.options.eta);
    s.current = [];
    s.told = [];
    if (s.rung + 1 < this.options.rungs && promote > 0 && order.length > 0) {
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
