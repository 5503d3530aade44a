/** The optimizers by name, apart from their tfjs implementations so the CLI can check a name without loading tfjs. */
export type OptimizerName = 'adam' | 'sgd' | 'momentum' | 'rmsprop';
export const OPTIMIZER_NAMES: readonly OptimizerName[] = ['adam', 'sgd', 'momentum', 'rmsprop'];
