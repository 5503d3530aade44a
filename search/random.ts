/**
 * Random search: every proposal is a seeded sample of the space, new to the run when one
 * turns up (a small space is not trained twice over); done when every genotype was proposed.
 */
import type { Json } from '../core/json.js';
import { Rng, type RngState } from '../core/rng.js';
import { sample } from '../spaces/operators.js';
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
    this.seen = new Set(state?.seen ?? []);
    this.size = genotypeCount(space);
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
