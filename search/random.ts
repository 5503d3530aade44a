/** Random search: every proposal is an independent seeded sample of the space. */
import type { Json } from '../core/json.js';
import { Rng, type RngState } from '../core/rng.js';
import { sample } from '../spaces/operators.js';
import type { SpaceDefinition } from '../spaces/space.js';
import { trialSeed, type Ask, type Fidelity, type Strategy, type ToldTrial } from './strategy.js';

export interface RandomState { rng: RngState; next: number }

export class RandomSearch implements Strategy {
  readonly name = 'random';
  private rng: Rng;
  private next: number;

  constructor(private readonly space: SpaceDefinition, private readonly runSeed: number, private readonly fidelity: Fidelity,
    private readonly maxTrials = Infinity, state?: RandomState) {
    this.rng = new Rng(state?.rng ?? runSeed);
    this.next = state?.next ?? 0;
  }

  ask(): Ask {
    if (this.next >= this.maxTrials) return { kind: 'done' };
    const number = this.next++;
    return { kind: 'trial', proposal: { number, genotype: sample(this.space, this.rng), fidelity: this.fidelity, seed: trialSeed(this.runSeed, number) } };
  }

  tell(_trial: ToldTrial): void {}

  snapshot(): Json {
    return { rng: this.rng.state(), next: this.next };
  }
}
