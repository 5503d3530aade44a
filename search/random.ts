/**
 * Random search: every proposal is a seeded sample of the space, new to the run when one
 * turns up (a small space is not trained twice over); done when every genotype was proposed.
 */
import type { Json } from '../core/json.js';
import { Rng, type RngState } from '../core/rng.js';
import { genotypeHash, sample } from '../spaces/operators.js';
import type { SpaceDefinition } from '../spaces/space.js';
import { freshGenotype, genotypeCount } from './batched-trials.js';
import { trialSeed, type Ask, type Fidelity, type Strategy, type ToldTrial } from './strategy.js';

/** `seen`: hashes of the genotypes proposed (absent in runs from older hwnas). */
export interface RandomState { rng: RngState; next: number; seen?: string[] }

export class RandomSearch implements Strategy {
  readonly name = 'random';
  private rng: Rng;
  private next: number;
  private readonly seen: Set<string>;
  private readonly size: number;

  constructor(private readonly space: SpaceDefinition, private readonly runSeed: number, private readonly fidelity: Fidelity,
    private readonly maxTrials = Infinity, state?: RandomState) {
    this.rng = new Rng(state?.rng ?? runSeed);
    this.next = state?.next ?? 0;
    this.size = genotypeCount(space);
    this.seen = new Set(state?.seen ?? []);
    // A run saved before `seen` was kept drew each of its proposals as one sample from the run's seed:
    // replaying them recovers what it proposed, so a resume does not propose those again.
    if (state !== undefined && state.seen === undefined) {
      const replay = new Rng(runSeed);
      for (let i = 0; i < this.next; i++) this.seen.add(genotypeHash(sample(space, replay)));
    }
  }

  ask(): Ask {
    if (this.next >= this.maxTrials || this.seen.size >= this.size) return { kind: 'done' };
    const number = this.next++;
    const { genotype } = freshGenotype(this.seen, () => sample(this.space, this.rng));
    return { kind: 'trial', proposal: { number, genotype, fidelity: this.fidelity, seed: trialSeed(this.runSeed, number) } };
  }

  tell(_trial: ToldTrial): void {}

  snapshot(): Json {
    return { rng: this.rng.state(), next: this.next, seen: [...this.seen] };
  }
}
