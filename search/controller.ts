/**
 * The search loop: ask the strategy, cost the proposal (rejecting it, untrained, when its
 * predicted cost breaks a budget), train it in the worker pool, tell the strategy, and
 * record every state change in the store together with the strategy's snapshot. The
 * store is written by this loop alone; a crash or kill -9 loses at most the trials that
 * were running, which `resume` reclaims and runs again with the same genotype and seed.
 */
import { fileURLToPath } from 'node:url';
import { errorMessage } from '../core/errors.js';
import type { Json } from '../core/json.js';
import type { Dataset } from '../evaluators/data/dataset.js';
import type { ProgressSink } from '../evaluators/progress.js';
import type { EvalRequest, EvalResult } from '../evaluators/protocol.js';
import { costOf, type Cost, type CostModel } from '../hardware-profiles/cost-model.js';
import { costSpecOf, type BuiltinSpace } from '../spaces/builtin.js';
import { genotypeHash } from '../spaces/operators.js';
import { HEARTBEAT_SECONDS } from '../store/run-owner.js';
import type { SqliteStore } from '../store/sqlite.js';
import type { TrialOutcome } from '../store/types.js';
import { makeStrategy } from './make-strategy.js';
import { budgetText, overBudget, type BudgetKind, type Budgets, type RunConfig } from './run-config.js';
import type { Proposal, Strategy } from './strategy.js';

/** What the loop reports as it goes (the CLI prints these, or the dashboard shows them). */
export type SearchEvent =
  | { kind: 'started'; runId: number; resumed: boolean; reclaimed: number }
  | { kind: 'rejected'; number: number; reason: string }
  | { kind: 'trial'; number: number; state: 'complete' | 'failed'; accuracy?: number; reason?: string; seconds: number; latencyMs?: number; sizeBytes?: number;
      /** A complete trial whose trained model breaks a budget its prediction met (the true compressed size). */
      overBudget?: string }
  | { kind: 'finished'; status: 'complete' | 'interrupted';
      /** Trials trained (complete + failed), of which complete and failed; rejected before training; interrupted (resume runs them again). */
      trained: number; complete: number; failed: number; rejected: number; interrupted: number;
      /** Per budget, the smallest predicted value among rejected proposals: how far off an impossible budget is. */
      closest?: Budgets;
      /** Set when the run stopped itself because trial after trial failed: how many in a row, and the last one's reason. */
      failing?: { inARow: number; reason: string } };

export interface SearchDeps {
  store: SqliteStore;
  space: BuiltinSpace;
  dataset: Dataset;
  costModel: CostModel;
  /** More device profiles to cost every trial on (stored for best/pareto; budgets use costModel). */
  extraCostModels?: CostModel[];
  /**
   * Runs one trial in a worker; rejects when the worker crashes or the signal aborts.
   * `onProgress`, when the runner supports it, receives the trial's live progress reports.
   */
  runTrial(request: EvalRequest, signal: AbortSignal, onProgress?: ProgressSink): Promise<EvalResult>;
  onEvent?(event: SearchEvent): void;
  /** Aborted: stop the run cleanly (Ctrl-C); running trials are aborted at once and recorded as interrupted. */
  stop?: AbortSignal;
  /** Test hook: per trial number, a fault to inject into its worker. */
  faults?: Record<number, 'throw' | 'exit' | 'diverge'>;
}

/**
 * Trials failing one after another, none completing between them, that stop the run (at
 * least this many, and two per worker). A cause they share (a backend that does not load, a
 * learning rate every model diverges at, a timeout no model can meet, a worker that runs out
 * of memory) fails every trial after them too: an overnight run went on failing thousands of
 * trials a minute into the database. The run stops as interrupted, so --resume continues it
 * once the cause is fixed.
 */
export const FAILURES_IN_A_ROW = 10;
/** Proposals rejected in a row (nothing the strategy proposes fits the budgets) after which a run ends. */
export const REJECTIONS_IN_A_ROW = 2000;

/** How long a trial may take to start training (worker startup, data, building the model) beyond --trial-timeout. */
export const STARTUP_GRACE_MS = 60_000;

/** Total budget violation of a predicted cost, relative to each budget (0 = feasible), and the reasons. */
export function budgetViolation(cost: Cost, budgets: Budgets): { violation: number; reasons: string[] } {
  const checks: Array<[BudgetKind, number, number | undefined]> = [
    ['latency', cost.latencyMs, budgets.maxLatencyMs], ['energy', cost.energyMj, budgets.maxEnergyMj],
    ['size', cost.storedBytes, budgets.maxSizeBytes], ['peak memory', cost.peakMemoryBytes, budgets.maxPeakMemoryBytes],
  ];
  let violation = 0;
  const reasons: string[] = [...cost.violations];
  for (const [what, value, limit] of checks) {
    if (limit === undefined || value <= limit) continue;
    // A cost the model cannot give (a table without that measurement) cannot be shown to fit: it breaks the budget.
    if (!Number.isFinite(value)) {
      violation += 1;
      reasons.push(`no predicted ${what} to check against the budget ${budgetText(what, limit)}`);
      continue;
    }
    violation += (value - limit) / limit;
    reasons.push(`predicted ${overBudget(what, value, limit)}`);
  }
  if (cost.violations.length > 0) violation += cost.violations.length;
  return { violation, reasons };
}

export function workerFile(): string {
  return fileURLToPath(new URL('../evaluators/worker.js', import.meta.url));
}

export async function runSearch(config: RunConfig, runId: number, deps: SearchDeps): Promise<'complete' | 'interrupted'> {
  const { store, space, dataset, costModel } = deps;
  const run = store.run(runId)!;
  const strategy: Strategy = makeStrategy(config, space.definition, run.strategyState);
  store.claimRun(runId);
  const reclaimed = store.reclaimUnfinished(runId);
  deps.onEvent?.({ kind: 'started', runId, resumed: run.strategyState !== null, reclaimed: reclaimed.length });

  const counts = () => store.counts(runId).byStatus;
  const trainedSoFar = () => { const c = counts(); return c.complete + c.failed + c.pruned; };
  // --time counts the seconds searched before a resume too (as of the last heartbeat).
  const started = Date.now();
  const activeSeconds = () => run.activeSeconds + (Date.now() - started) / 1000;
  const outOfTime = () => config.seconds !== null && activeSeconds() >= config.seconds;
  const budgetLeft = (inFlight: number) => config.trials === null || trainedSoFar() + inFlight < config.trials;

  const running = new Map<number, Promise<void>>();
  const controllers = new Map<number, AbortController>();
  const queue: Array<{ proposal: Proposal; trialId: number }> = reclaimed.map((t) => ({
    trialId: t.id, proposal: { number: t.number, genotype: t.genotype, seed: t.seed, fidelity: { ...(t.fidelity as unknown as Proposal['fidelity']) } },
  }));
  // A resumed run continues the streak it was stopped in (it may have ended it already).
  let rejectedInARow = store.trailingRejections(runId);
  let exhausted = rejectedInARow >= REJECTIONS_IN_A_ROW;
  const closest: Budgets = {};
  const keepClosest = (predicted: { latencyMs: number | null; energyMj: number | null; storedBytes: number | null; peakMemoryBytes: number | null }) => {
    const values: Budgets = { maxLatencyMs: predicted.latencyMs ?? Number.NaN, maxEnergyMj: predicted.energyMj ?? Number.NaN,
      maxSizeBytes: predicted.storedBytes ?? Number.NaN, maxPeakMemoryBytes: predicted.peakMemoryBytes ?? Number.NaN };
    for (const key of Object.keys(config.budgets) as Array<keyof Budgets>) {
      const value = values[key]!;
      const best = closest[key];
      if (Number.isFinite(value) && (best === undefined || value < best)) closest[key] = value;
    }
  };
  // A resumed run's closest miss counts the proposals rejected before it stopped, as an uninterrupted run's does.
  if (Object.keys(config.budgets).length > 0) keepClosest(store.rejectedMinimums(runId, costModel.profile));
  let interrupted = false;
  let failedInARow = 0;
  let failing: { inARow: number; reason: string } | undefined;
  const failureLimit = Math.max(FAILURES_IN_A_ROW, 2 * config.workers);

  const objectivesOf = (accuracy: number, cost: Cost) => [-accuracy, cost.latencyMs];
  /** The primary cost (feasible by the budget check) and every extra profile's (feasible when it fits the device). */
  const storedCosts = (cost: Cost, others: Cost[], feasible: boolean) => [cost, ...others].map((c, i) => ({
    profile: c.profile, latencyMs: c.latencyMs, energyMj: c.energyMj, peakMemoryBytes: c.peakMemoryBytes, feasible: i === 0 ? feasible : c.violations.length === 0,
  }));

  const dispatch = (proposal: Proposal, trialId: number, cost: Cost, others: Cost[], slot: number) => {
    store.startTrial(trialId, slot);
    const abort = new AbortController();
    controllers.set(proposal.number, abort);
    // setTimeout fires at once for more than 2^31 - 1 ms (24.8 days): a longer timeout is, in practice, none.
    const timeoutMs = config.trialTimeoutSeconds === null || config.trialTimeoutSeconds * 1000 > 2 ** 31 - 1 - STARTUP_GRACE_MS ? null : config.trialTimeoutSeconds * 1000;
    // The limit counts from the trial's first progress report: a worker started after another timed out
    // loads tfjs first (seconds), and counting that failed every trial after one timeout. Until that
    // report the trial gets a startup allowance on top.
    let timer: NodeJS.Timeout | null = null;
    const arm = (ms: number) => { if (timer !== null) clearTimeout(timer); timer = setTimeout(() => abort.abort(new Error('timeout')), ms); };
    if (timeoutMs !== null) arm(timeoutMs + STARTUP_GRACE_MS);
    let reported = false;
    const onProgress = (p: unknown) => {
      if (!reported && timeoutMs !== null) arm(timeoutMs);
      reported = true;
      storeProgress(trialId, p as Json);
    };
    const request: EvalRequest = {
      trial: { number: proposal.number, seed: proposal.seed, genotype: proposal.genotype, epochs: proposal.fidelity.epochs, trainFraction: proposal.fidelity.trainFraction },
      space: config.space, dataset, training: config.training,
      ...(config.backend !== undefined ? { backend: config.backend } : {}),
      ...(config.evaluator?.kind === 'tabular' ? { tabular: { table: config.evaluator.table, dataset: config.dataset.name, fullEpochs: config.fidelity.epochs } } : {}),
      ...(deps.faults?.[proposal.number] !== undefined ? { fault: deps.faults[proposal.number] } : {}),
    };
    const t0 = Date.now();
    // Progress is stored as it comes (a small update of a running row); a late report after the end changes nothing.
    const work = deps.runTrial(request, abort.signal, onProgress).catch((error: unknown): EvalResult => {
      const timedOut = abort.signal.aborted && errorMessage(abort.signal.reason) === 'timeout';
      const limit = reported ? `timed out after ${config.trialTimeoutSeconds} s of training` : `timed out before training started (${config.trialTimeoutSeconds} s and a minute to start)`;
      return { state: 'failed', kind: timedOut ? 'timeout' : 'crashed', reason: timedOut ? limit : `worker crashed: ${errorMessage(error)}`, epochs: [] };
    }).then((result) => {
      if (timer !== null) clearTimeout(timer);
      controllers.delete(proposal.number);
      if (interrupted && result.state === 'failed' && result.kind === 'crashed') return; // aborted by Ctrl-C: recorded as interrupted
      // Budgets were checked on the predicted size; the trained model's true compressed size can
      // differ (Huffman and clustering depend on the weights), so a complete trial is checked again.
      const actual = result.state === 'complete' ? budgetViolation({ ...cost, storedBytes: result.metrics.sizeBytes }, config.budgets) : { violation: 0, reasons: [] };
      const costs = storedCosts(cost, others, actual.violation === 0);
      const epochs = result.epochs.map((e) => ({ epoch: e.epoch, trainLoss: e.trainLoss, trainAccuracy: e.trainAccuracy, valLoss: e.validationLoss,
        valAccuracy: Number.isNaN(e.validationAccuracy) ? null : e.validationAccuracy, learningRate: e.learningRate, seconds: e.seconds, imagesPerSecond: e.imagesPerSecond }));
      let outcome: TrialOutcome;
      if (result.state === 'complete') {
        failedInARow = 0;
        strategy.tell({ number: proposal.number, state: 'complete', objectives: objectivesOf(result.metrics.valAccuracy, cost), violation: actual.violation });
        outcome = { status: 'complete', accuracy: result.metrics.accuracy, valAccuracy: result.metrics.valAccuracy, sizeBytes: result.metrics.sizeBytes,
          params: result.metrics.params, macs: result.metrics.macs, metrics: { ...result.metrics, layers: result.layers } as unknown as Json, costs, epochs, ...(result.artifact === '' ? {} : { artifact: Buffer.from(result.artifact, 'base64') }) };
      } else {
        if (++failedInARow >= failureLimit && failing === undefined) failing = { inARow: failedInARow, reason: result.reason };
        strategy.tell({ number: proposal.number, state: 'failed' });
        outcome = { status: 'failed', error: `${result.kind}: ${result.reason}`, costs, epochs };
      }
      store.finishTrial(trialId, outcome, strategy.snapshot());
      deps.onEvent?.({ kind: 'trial', number: proposal.number, state: result.state, seconds: (Date.now() - t0) / 1000,
        ...(result.state === 'complete' ? { accuracy: result.metrics.accuracy, sizeBytes: result.metrics.sizeBytes, latencyMs: cost.latencyMs,
          ...(actual.violation > 0 ? { overBudget: overBudget('size', result.metrics.sizeBytes, config.budgets.maxSizeBytes!) } : {}) } : { reason: result.reason }) });
    });
    // The one chain on `work`: a store error while recording the trial reaches the race below, and the caller.
    running.set(proposal.number, work.finally(() => { running.delete(proposal.number); slots.delete(proposal.number); }));
  };
  /** Live progress is a convenience: failing to store it (a busy or full disk) must not end the run. */
  const storeProgress = (trialId: number, progress: Json) => {
    try { store.trialProgress(trialId, progress); } catch { /* the next report, or the trial's end, tries again */ }
  };

  /** Worker slot numbers (1..workers) of running trials, for the store and the dashboard. */
  const slots = new Map<number, number>();
  const freeSlot = () => { for (let s = 1; s <= config.workers; s++) if (![...slots.values()].includes(s)) return s; return config.workers; };

  // Ctrl-C ends the wait for running trials at once, not when one of them finishes.
  const stopped = new Promise<void>((resolve) => {
    if (deps.stop === undefined) return;
    if (deps.stop.aborted) resolve();
    else deps.stop.addEventListener('abort', () => resolve(), { once: true });
  });
  /** Stops every running trial; with `interrupted` set, their handlers record nothing (the run records them interrupted). */
  const abortRunning = () => { for (const c of controllers.values()) c.abort(new Error('interrupted')); };
  const heartbeat = setInterval(() => { try { store.heartbeat(runId, activeSeconds()); } catch { /* the next one tries again */ } }, HEARTBEAT_SECONDS * 1000);
  heartbeat.unref();
  try {
    // A stop, or a streak of failures, is seen between proposals too: a long streak of rejections runs without a break.
    const stopping = () => deps.stop?.aborted === true || failing !== undefined;
    for (;;) {
      // Trials reclaimed from an interrupted run go first, with their genotype and seed, even once the time is up:
      // they were dispatched within it, and an uninterrupted run would have finished them.
      while (!interrupted && !stopping() && running.size < config.workers && (queue.length > 0 || !outOfTime())) {
        let next: { proposal: Proposal; trialId: number | null } | undefined = queue.shift();
        if (next === undefined) {
          if (exhausted || !budgetLeft(running.size)) break;
          const ask = strategy.ask();
          if (ask.kind === 'done') { exhausted = true; break; }
          if (ask.kind === 'wait') break;
          next = { proposal: ask.proposal, trialId: null };
        }
        const { proposal } = next;
        const spec = costSpecOf(space, proposal.genotype, dataset);
        const cost = costOf(costModel, proposal.genotype, spec);
        const others = (deps.extraCostModels ?? []).map((m) => costOf(m, proposal.genotype, spec));
        if (next.trialId === null) {
          const { violation, reasons } = budgetViolation(cost, config.budgets);
          const newTrial = { number: proposal.number, genotype: proposal.genotype, genotypeHash: genotypeHash(proposal.genotype), seed: proposal.seed,
            fidelity: proposal.fidelity as unknown as Json, rung: proposal.fidelity.rung };
          if (violation > 0) {
            strategy.tell({ number: proposal.number, state: 'rejected', objectives: [0, cost.latencyMs], violation });
            keepClosest(cost);
            // The predicted size is kept too: no cost row holds it, and a resumed run's closest miss needs it.
            store.insertFinishedTrials(runId, [{ ...newTrial, outcome: { status: 'rejected', error: reasons.join('; '),
              metrics: { predictedSizeBytes: cost.storedBytes }, costs: storedCosts(cost, others, false) } }], strategy.snapshot());
            deps.onEvent?.({ kind: 'rejected', number: proposal.number, reason: reasons.join('; ') });
            if (++rejectedInARow >= REJECTIONS_IN_A_ROW) { exhausted = true; break; }
            // Costing is synchronous: a long streak would hold off Ctrl-C (its handler) until it ended.
            if (rejectedInARow % 100 === 0) await new Promise((resolve) => setImmediate(resolve));
            continue;
          }
          rejectedInARow = 0;
          next.trialId = store.queueTrials(runId, [newTrial], strategy.snapshot())[0]!;
        }
        const slot = freeSlot();
        slots.set(proposal.number, slot);
        dispatch(proposal, next.trialId, cost, others, slot);
      }
      if (stopping()) interrupted = true;
      if (running.size === 0) break;
      if (interrupted) {
        abortRunning();
        await Promise.all(running.values());
      } else {
        await Promise.race([...running.values(), stopped]);
      }
    }
  } catch (error) {
    // A store error (a full disk, a lock) ends the run. The trials still training are stopped and left
    // unrecorded (running, so --resume trains them again), not written off as crashed workers.
    interrupted = true;
    abortRunning();
    await Promise.allSettled(running.values());
    throw error;
  } finally {
    clearInterval(heartbeat);
  }

  const status = interrupted ? 'interrupted' : 'complete';
  if (interrupted) store.interruptRunning(runId);
  const c = counts();
  store.finishRun(runId, status, strategy.snapshot(), `${c.complete} complete, ${c.failed} failed, ${c.rejected} rejected`, activeSeconds());
  deps.onEvent?.({ kind: 'finished', status, trained: c.complete + c.failed, complete: c.complete, failed: c.failed, rejected: c.rejected, interrupted: c.interrupted, ...(Object.keys(closest).length > 0 ? { closest } : {}),
    ...(failing !== undefined ? { failing } : {}) });
  return status;
}
