/**
 * The Piscina worker entry: one trial per task, plain JSON in and out. Each worker
 * thread holds its own tfjs and wasm instance; datasets arrive on SharedArrayBuffers.
 * A task may carry a MessagePort (transferred, not copied) on which the trial's progress
 * reports go back while it trains: the only thing a worker says before it returns.
 */
import type { MessagePort } from 'node:worker_threads';
import { evaluateTrial } from './evaluate-trial.js';
import type { EvalRequest, EvalResult } from './protocol.js';

export type WorkerTask = EvalRequest & { progressPort?: MessagePort };

export default async function run(task: WorkerTask): Promise<EvalResult> {
  const { progressPort, ...request } = task;
  try {
    return await evaluateTrial(request, progressPort === undefined ? undefined : (p) => progressPort.postMessage(p));
  } finally {
    progressPort?.close();
  }
}
