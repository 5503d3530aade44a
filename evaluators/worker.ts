/**
 * The Piscina worker entry: one trial per task, plain JSON in and out. Each worker
 * thread holds its own tfjs and wasm instance; datasets arrive on SharedArrayBuffers.
 */
import { evaluateTrial } from './evaluate-trial.js';
import type { EvalRequest, EvalResult } from './protocol.js';

export default function run(request: EvalRequest): Promise<EvalResult> {
  return evaluateTrial(request);
}
