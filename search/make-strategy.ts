/** A strategy from a run's config and, on resume, its stored state. */
import type { Json } from '../core/json.js';
import type { SpaceDefinition } from '../spaces/space.js';
import { RegularizedEvolution, type EvolutionState } from './evolution.js';
import { Nsga2, type Nsga2State } from './nsga2.js';
import { RandomSearch, type RandomState } from './random.js';
import type { RunConfig } from './run-config.js';
import type { Strategy } from './strategy.js';
import { SuccessiveHalving, tabularHalving, type HalvingState } from './successive-halving.js';

export function makeStrategy(config: RunConfig, space: SpaceDefinition, state: Json | null): Strategy {
  const fidelity = { ...config.fidelity, rung: 0 };
  switch (config.strategy) {
    case 'random':
      return new RandomSearch(space, config.seed, fidelity, Infinity, (state ?? undefined) as unknown as RandomState | undefined);
    case 'evolution':
      return new RegularizedEvolution(space, config.seed, fidelity, { populationSize: 20, sampleSize: 5, mutationRate: 0.3, batchSize: 4 },
        (state ?? undefined) as unknown as EvolutionState | undefined);
    case 'nsga2':
      return new Nsga2(space, config.seed, fidelity, { populationSize: 16, crossoverRate: 0.9, mutationRate: 0.25 },
        (state ?? undefined) as unknown as Nsga2State | undefined);
    case 'halving': {
      // A table answers at two fidelities only; training can use three rungs of epochs.
      const options = config.evaluator?.kind === 'tabular' ? tabularHalving(fidelity) : { rungs: 3, eta: 3, bracketSize: 9, mutationRate: 0.3 };
      return new SuccessiveHalving(space, config.seed, { ...fidelity, rung: options.rungs - 1 }, options, (state ?? undefined) as unknown as HalvingState | undefined);
    }
  }
}
