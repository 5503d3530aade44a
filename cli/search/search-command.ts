/**
 * The work behind `hwnas search`: a new run's config from flags (or a resumed run's from
 * the store), the dataset loaded once into shared memory, the Piscina pool, the loop, and
 * its report: a progress bar and one line per trial, or JSON events with --json.
 */
import { availableParallelism } from 'node:os';
import { existsSync, statSync } from 'node:fs';
import { join as joinPath, resolve as resolvePath } from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { errorMessage, UserError } from '../../core/errors.js';
import { counted } from '../../core/plural.js';
import { unknownChoice } from '../../core/suggest.js';
import type { Json } from '../../core/json.js';
import { ProgressLine } from '../../core/progress-bar.js';
import { formatBytes, formatDuration } from '../../core/units.js';
import { loadDataset } from '../../evaluators/data/index.js';
import type { ProgressSink } from '../../evaluators/progress.js';
import { OPTIMIZER_NAMES } from '../../evaluators/training/optimizer-names.js';
import { LR_SCHEDULE_KINDS } from '../../evaluators/training/schedule.js';
import type { WorkerTask } from '../../evaluators/worker.js';
import type { EvalRequest, EvalResult, TrainingSettings } from '../../evaluators/protocol.js';
import type { CostModel } from '../../hardware-profiles/cost-model.js';
import { changeableProfileJson, costModelFor, profileFromJson } from '../../hardware-profiles/registry.js';
import { createCostModel } from '../../hardware-profiles/roofline.js';
import { isTabularProfile, tabularCostModel } from '../../hardware-profiles/tabular.js';
import { shapeOnlyDataset } from '../../evaluators/tabular/shape-dataset.js';
import { readTable, requireColumn } from '../../evaluators/tabular/table.js';
import type { BuiltinSpace } from '../../spaces/builtin.js';
import type { Dataset } from '../../evaluators/data/dataset.js';
import { runSearch, workerFile, type SearchEvent } from '../../search/controller.js';
import { genotypeCount } from '../../search/batched-trials.js';
import { describeBudgets, STRATEGY_NAMES, type Budgets, type RunConfig, type StrategyName } from '../../search/run-config.js';
import { readSpaceFileJson, resolveSpace, storedSpace } from '../../spaces/space-file.js';
import { fullFidelity } from '../../search/fidelity.js';
import { SqliteStore } from '../../store/sqlite.js';
import type { TrialRecord } from '../../store/types.js';

export interface SearchRequest {
  db: string; name?: string; resume: boolean; json: boolean; ui?: boolean;
  space?: string; dataset?: string; dataDir?: string; strategy?: string;
  trials?: number; seconds?: number; workers?: number; epochs?: number; trainFraction?: number;
  fineTuneEpochs?: number; teacherDir?: string | undefined; batchSize?: number; learningRate?: number; optimizer?: string; schedule?: string; profile?: string; seed?: number;
  budgets: Budgets; trialTimeoutSeconds?: number; backend?: string; faults?: string;
  evaluator?: string; table?: string;
}

/** An absolute path (workers may resolve it from elsewhere) to a directory holding model.json. */
function checkTeacher(dir: string): string {
  const absolute = resolvePath(dir);
  if (!existsSync(joinPath(absolute, 'model.json'))) throw new UserError(`--teacher ${dir}: no model.json there`, 'point it at a tfjs layers model directory, e.g. one written by hwnas export');
  return absolute;
}

/** Rejections in a row printed one per line; the rest of the streak is one count. */
const SHOWN_REJECTIONS = 10;

/** A new run's settings from flags; its name, when --name is not given, comes once the database is open. */
function newConfig(r: SearchRequest): RunConfig {
  const spaceArg = r.space ?? 'mobile-cnn';
  const space = resolveSpace(spaceArg);
  const strategy = (r.strategy ?? 'evolution') as StrategyName;
  if (!STRATEGY_NAMES.includes(strategy)) throw unknownChoice('strategy', strategy, STRATEGY_NAMES);
  const evaluator = tabularEvaluator(r, space, strategy);
  const given = (r.profile ?? 'proxy').split(',').map((p) => p.trim()).filter(Boolean);
  const dataset = r.dataset ?? (evaluator !== undefined ? 'cifar10' : 'mnist');
  // Fails early, with the list of profiles, on an unknown id, a bad file or a column the table lacks.
  // Costs are stored by profile id: two profiles under one id would overwrite each other's.
  const ids = new Map<string, string>();
  // The run refers to profiles by id, as its stored costs do; a file's (or local's) figures are kept
  // with the run, so a resume costs as the run began even if the file moved or changed since.
  const profileData: Record<string, Json> = {};
  for (const p of given) {
    const id = profileModel(p, evaluator, dataset).profile;
    const other = ids.get(id);
    if (other !== undefined) throw new UserError(`--profile ${other} and ${p} both have the id '${id}'`, 'costs are stored by profile id: give one of the files an id of its own, or drop the repeat');
    ids.set(id, p);
    const json = changeableProfileJson(p);
    if (json !== null) profileData[id] = json;
  }
  const [profile = 'proxy', ...extraProfiles] = [...ids.keys()];
  const training: TrainingSettings = {
    batchSize: r.batchSize ?? 64, learningRate: r.learningRate ?? 0.002,
    optimizer: (r.optimizer ?? 'adam') as TrainingSettings['optimizer'], schedule: (r.schedule ?? 'cosine') as TrainingSettings['schedule'],
    ...(r.fineTuneEpochs !== undefined ? { fineTuneEpochs: r.fineTuneEpochs } : {}),
    ...(r.teacherDir !== undefined ? { teacherDir: checkTeacher(r.teacherDir) } : {}),
  };
  if (!(OPTIMIZER_NAMES as readonly string[]).includes(training.optimizer)) throw unknownChoice('optimizer', training.optimizer, OPTIMIZER_NAMES);
  if (!(LR_SCHEDULE_KINDS as readonly string[]).includes(training.schedule)) throw unknownChoice('schedule', training.schedule, LR_SCHEDULE_KINDS);
  const budgets = Object.fromEntries(Object.entries(r.budgets).filter(([, v]) => v !== undefined)) as Budgets;
  // A table without the device's energies answers no energy: every proposal would break the budget unchecked.
  if (budgets.maxEnergyMj !== undefined && evaluator !== undefined && isTabularProfile(profile)) {
    const column = `${profile.slice(profile.indexOf(':') + 1)}_energy`;
    try {
      requireColumn(readTable(evaluator.table), 'hw', dataset, column);
    } catch {
      throw new UserError(`--max-energy cannot be checked on ${profile}: the table has no ${column} column for ${dataset}`, 'drop --max-energy, or budget energy on a device the table measured it for (e.g. tabular:edgegpu)');
    }
  }
  return {
    name: r.name ?? '',
    space: spaceArg.endsWith('.json') ? readSpaceFileJson(spaceArg) : spaceArg,
    spaceName: space.definition.name,
    // Absolute, as the table's: resume and export --retrain may run from another directory.
    dataset: { name: dataset, ...(r.dataDir !== undefined ? { dataDir: resolvePath(r.dataDir) } : {}) },
    strategy, seed: r.seed ?? 0,
    // A table's full fidelity is the 200-epoch schedule its accuracies come from.
    fidelity: { epochs: r.epochs ?? (evaluator !== undefined ? 200 : 2), trainFraction: r.trainFraction ?? 1 },
    training,
    trials: r.trials ?? (r.seconds === undefined ? 20 : null),
    seconds: r.seconds ?? null,
    workers: r.workers ?? Math.max(1, availableParallelism()),
    profile, ...(extraProfiles.length > 0 ? { extraProfiles } : {}), ...(Object.keys(profileData).length > 0 ? { profileData } : {}), budgets,
    ...(r.backend !== undefined ? { backend: r.backend } : {}),
    trialTimeoutSeconds: r.trialTimeoutSeconds ?? null,
    ...(evaluator !== undefined ? { evaluator } : {}),
  };
}

/** `--evaluator tabular --table FILE`: checked now (file, format, columns, space), so a bad table is one line, not a run of failed trials. */
function tabularEvaluator(r: SearchRequest, space: BuiltinSpace, strategy: StrategyName): RunConfig['evaluator'] {
  const kind = r.evaluator ?? 'train';
  if (kind === 'train') {
    if (r.table !== undefined) throw new UserError('--table needs --evaluator tabular', 'add --evaluator tabular to answer trials from the table');
    return undefined;
  }
  if (kind !== 'tabular') throw new UserError(`unknown evaluator '${kind}'`, 'use train (the default) or tabular');
  if (r.table === undefined) throw new UserError('--evaluator tabular needs --table FILE', 'e.g. --table ../shared/benchmarks/nb201.json');
  if (!space.definition.params.edge0) throw new UserError(`--evaluator tabular looks architectures up by NB201 cell: use --space nb201, not ${space.definition.name}`);
  const table = resolvePath(r.table);
  const loaded = readTable(table);
  const dataset = r.dataset ?? 'cifar10';
  const columns = strategy === 'halving' ? ['valid200', 'test200', 'valid12', 'test12'] : ['valid200', 'test200'];
  for (const column of columns) requireColumn(loaded, 'acc', dataset, column);
  return { kind: 'tabular', table };
}

/** The space and the data a run searches on, loaded (and the teacher checked) before anything is stored. */
async function runInputs(config: RunConfig): Promise<{ space: BuiltinSpace; dataset: Dataset }> {
  const space = storedSpace(config.space);
  // The workers read the table themselves: one gone since the run started failed every trial they were given.
  if (config.evaluator?.kind === 'tabular') readTable(config.evaluator.table);
  // A table-answered run needs no images, only their shape.
  const dataset = config.evaluator?.kind === 'tabular' ? shapeOnlyDataset(config.dataset.name)
    : await loadDataset(config.dataset.name, { ...(config.dataset.dataDir !== undefined ? { dataDir: config.dataset.dataDir } : {}), seed: config.seed });
  // A backend asked for by name is loaded here once: one that cannot load is one line now, not a
  // worker crash per trial. (Unnamed, the workers fall back to the embedded wasm backend.)
  if (config.backend !== undefined && config.evaluator === undefined) {
    const { resolveBackend } = await import('../../evaluators/backend.js');
    await resolveBackend({ backend: config.backend });
  }
  if (config.training.teacherDir !== undefined && config.evaluator === undefined) {
    const { checkTeacherModel } = await import('../../evaluators/teacher.js');
    await checkTeacherModel(config.training.teacherDir, dataset.inputShape, dataset.numClasses, config.backend);
  }
  return { space, dataset };
}

/** The n of the default name run-<n>: one past the highest such name, so a user's own --name run-3 never blocks it. */
function nextRunNumber(names: string[]): number {
  const taken = names.map((name) => /^run-(\d+)$/.exec(name)).map((m) => (m === null ? 0 : Number(m[1])));
  return Math.max(names.length, ...taken) + 1;
}

/** The cost model of one --profile: table-backed ones (tabular:DEVICE) need the run's table. */
function profileModel(id: string, evaluator: RunConfig['evaluator'], dataset: string, stored: RunConfig['profileData'] = {}): CostModel {
  const copy = stored[id];
  if (copy !== undefined) return createCostModel(profileFromJson(copy, `profile '${id}' as stored with the run`));
  if (!isTabularProfile(id)) return costModelFor(id);
  if (evaluator === undefined) throw new UserError(`profile ${id} reads a table's measured costs`, 'use it with --evaluator tabular --table FILE');
  return tabularCostModel(readTable(evaluator.table), id, dataset);
}

export async function searchCommand(r: SearchRequest): Promise<number> {
  // Before the store is touched: a refused --ui leaves no empty run behind.
  if (r.ui && r.json) throw new UserError('--ui and --json both want stdout', 'use one: --ui for the live dashboard, --json for machine-readable events');
  if (r.ui && (!process.stdout.isTTY || !process.stdin.isTTY)) {
    throw new UserError(`--ui needs a terminal, and ${process.stdout.isTTY ? 'stdin' : 'stdout'} is not one`, 'run it in a terminal, or drop --ui (hwnas dashboard can watch from another terminal)');
  }
  // A new run's flags, space, data and teacher are checked before the database is opened: a typo creates no file, and no run.
  let draft = r.resume ? undefined : newConfig(r);
  let inputs = draft === undefined ? undefined : await runInputs(draft);
  if (r.resume && !existsSync(r.db)) throw new UserError(`no database at ${r.db}`, 'pass --db with the database of the run to resume');
  // Opening it as a writer would make an empty file a store before finding no run in it.
  const file = r.resume ? statSync(r.db) : null;
  if (file !== null && file.isFile() && file.size === 0) throw new UserError(`${r.db} is an empty file: no run to resume`, 'pass --db with the database of the run to resume');
  const store = SqliteStore.open(r.db);
  try {
    // While the dashboard owns the terminal, lines go to it only after it closes.
    let uiOpen = false;
    const say = (line: string) => { if (!r.json && !uiOpen) process.stdout.write(`${line}\n`); };
    const emit = (event: object) => { if (r.json) process.stdout.write(`${JSON.stringify(event)}\n`); };

    // Handled from before the run is stored: a Ctrl-C while it was stored, or while the worker pool
    // starts (about half a second), killed the process and left the run 'running' with no trial.
    const stop = new AbortController();
    // SIGTERM (systemd, docker stop, a CI cancel) and SIGHUP (a closed terminal) stop the run as Ctrl-C does.
    const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
    const force = () => process.exit(130);
    const onSigint = (signal: NodeJS.Signals) => {
      stop.abort();
      say(`\nstopping: running trials will be recorded as interrupted (${signal === 'SIGINT' ? 'Ctrl-C' : signal} again to force)`);
      for (const s of STOP_SIGNALS) { process.removeListener(s, onSigint); process.once(s, force); }
    };
    for (const s of STOP_SIGNALS) process.once(s, onSigint);
    let runId: number;
    if (draft === undefined) {
      const existing = r.name !== undefined ? store.run(r.name) : store.latestRun();
      if (existing === null) throw new UserError(r.name !== undefined ? `no run named '${r.name}' in ${r.db}` : `no run to resume in ${r.db}`, `hwnas runs --db ${r.db} lists its runs`);
      if (existing.status === 'complete') throw new UserError(`run '${existing.name}' already finished its budget`, 'start a new run with a new --name');
      draft = existing.config as unknown as RunConfig;
      runId = existing.id;
      try {
        inputs = await runInputs(draft);
      } catch (error) {
        // Its hint would name a flag (--table, --teacher, --data) that --resume refuses.
        if (error instanceof UserError) throw new UserError(error.message, 'a resumed run reads the files it started with: put them back where they were, or start a new run');
        throw error;
      }
    } else {
      if (draft.name === '') draft.name = `run-${nextRunNumber(store.runs().map((run) => run.name))}`;
      if (store.run(draft.name) !== null) throw new UserError(`a run named '${draft.name}' already exists in ${r.db}`, 'pick another --name, or continue it with --resume');
      runId = store.createRun({ name: draft.name, space: draft.spaceName, dataset: draft.dataset.name, strategy: draft.strategy, seed: draft.seed, config: draft as unknown as Json });
    }
    const config: RunConfig = draft;
    const { space, dataset } = inputs!;
    const faults = Object.fromEntries((r.faults ?? '').split(',').filter(Boolean).map((f) => { const [n, kind] = f.split(':'); return [Number(n), kind as 'throw' | 'exit' | 'diverge']; }));

    // Said once the run is ours: a resume another live process refuses must not announce itself first.
    const header = `${r.resume ? 'resuming' : 'starting'} run '${config.name}' in ${r.db}: ${config.spaceName} on ${config.dataset.name}, ${config.strategy}, `
      + `${config.trials !== null ? counted(config.trials, 'trial') : 'no trial limit'}${config.seconds !== null ? `${config.trials !== null ? ' or' : ','} ${formatDuration(config.seconds * 1000)}` : ''}, `
      + `${counted(config.workers, 'worker')}, ${describeBudgets(config.budgets)} (${config.profile})`;

    const { Piscina } = await import('piscina');
    const pool = new Piscina({ filename: workerFile(), minThreads: config.workers, maxThreads: config.workers, idleTimeout: 60_000 });
    // A trial aborted on stop can still post its result: Piscina, no longer expecting it, emits an
    // error that, unhandled, crashed the process after the run was already recorded as interrupted.
    pool.on('error', (error: unknown) => {
      if (!/Unexpected message from Worker/.test(errorMessage(error))) process.stderr.write(`hwnas: worker pool: ${errorMessage(error)}\n`);
    });
    const progress = new ProgressLine();
    const t0 = Date.now();
    let done = 0;
    let ui: { unmount(): void } | null = null;
    if (r.ui) {
      // ink draws only a final frame when CI is set; a terminal is interactive whatever CI says.
      delete process.env.CI;
      const { renderDashboard } = await import('../../dashboard/render.js');
      const instance = renderDashboard(store, store.run(runId)!, config.profile, 1000);
      uiOpen = true;
      ui = instance;
      // q or Ctrl-C closes the dashboard (ink has the terminal in raw mode, so no SIGINT comes): stop as Ctrl-C would.
      // The dashboard closing, by q or by an error inside it, stops the search cleanly either way.
      const closed = () => { if (uiOpen) { uiOpen = false; ui = null; stop.abort(); say('stopping: running trials will be recorded as interrupted'); } };
      void instance.waitUntilExit().then(closed, closed);
    }
    let closest: Budgets | undefined;
    let failing: { inARow: number; reason: string } | undefined;
    // A tight budget can reject thousands of proposals in a row: the first few are shown, the rest counted.
    let rejectedInARow = 0;
    const endRejections = () => {
      if (rejectedInARow > SHOWN_REJECTIONS) say(`     ... and ${(rejectedInARow - SHOWN_REJECTIONS).toLocaleString('en')} more rejected before training`);
      rejectedInARow = 0;
    };
    const onEvent = (e: SearchEvent) => {
      emit(e);
      if (e.kind === 'started') say(header);
      if (e.kind === 'finished') { closest = e.closest; failing = e.failing; }
      if (r.json || uiOpen) return;
      if (e.kind !== 'rejected') endRejections();
      if (e.kind === 'started' && e.reclaimed > 0) say(`reclaimed ${counted(e.reclaimed, 'unfinished trial')}; they run again first`);
      if (e.kind === 'trial') {
        done++;
        progress.finish();
        say(e.state === 'complete'
          ? `trial ${String(e.number).padStart(4)}  accuracy ${(100 * e.accuracy!).toFixed(2)}%  size ${formatBytes(e.sizeBytes ?? 0)}  latency ${e.latencyMs?.toFixed(3)} ms  (${e.seconds.toFixed(1)} s)`
            + `${e.overBudget !== undefined ? `  over budget once trained: ${e.overBudget}` : ''}`
          : `trial ${String(e.number).padStart(4)}  failed: ${e.reason}`);
      }
      if (e.kind === 'rejected' && ++rejectedInARow <= SHOWN_REJECTIONS) say(`trial ${String(e.number).padStart(4)}  rejected before training: ${e.reason}`);
      if (config.trials !== null) progress.update({ label: 'search', done, total: config.trials, elapsedSeconds: (Date.now() - t0) / 1000 }, true);
    };
    let status: 'complete' | 'interrupted';
    try {
      status = await runSearch(config, runId, {
        store, space, dataset, costModel: profileModel(config.profile, config.evaluator, config.dataset.name, config.profileData),
        extraCostModels: (config.extraProfiles ?? []).map((p) => profileModel(p, config.evaluator, config.dataset.name, config.profileData)), onEvent, stop: stop.signal, faults,
        runTrial: (request: EvalRequest, signal: AbortSignal, onProgress?: ProgressSink) => {
          if (onProgress === undefined) return pool.run(request, { signal }) as Promise<EvalResult>;
          // The worker posts progress on its end of a channel while the task runs; ours closes when it is done.
          const { port1, port2 } = new MessageChannel();
          port1.on('message', onProgress);
          const task: WorkerTask = { ...request, progressPort: port2 };
          return (pool.run(task, { signal, transferList: [port2] as never }) as Promise<EvalResult>).finally(() => port1.close());
        },
      });
    } catch (error) {
      // The store failed under the run (a lock held too long, a full disk): its trials are kept, running ones unrecorded.
      say(`the run stopped; once the cause below is fixed, continue with: hwnas search --resume --db ${r.db} --name ${config.name}`);
      throw error;
    } finally {
      if (ui !== null) { uiOpen = false; (ui as { unmount(): void }).unmount(); }
      progress.finish();
      for (const s of STOP_SIGNALS) { process.removeListener(s, onSigint); process.removeListener(s, force); }
      await pool.destroy();
    }
    const tally = store.counts(runId), counts = tally.byStatus;
    // The best trial within the run's own budgets (a trained model can break one its prediction met).
    const best = store.best({ runId, profile: config.profile, ...config.budgets });
    const run = store.run(runId)!;
    const cheap = (t: TrialRecord) => !fullFidelity(t, run);
    // 'Before training': a budget rejects a proposal, and so does a table that has no measurement of it.
    if (failing !== undefined) say(`stopped: ${failing.inARow} trials in a row failed, the last with: ${failing.reason}`);
    say(`${status === 'complete' ? 'finished' : failing !== undefined ? 'stopped' : 'interrupted'}: ${counts.complete} complete, ${counts.failed} failed, ${counts.rejected} rejected before training`
      + (counts.interrupted > 0 ? `, ${counts.interrupted} interrupted` : '')
      + (best !== null ? `; best trial ${best.number}: ${(100 * (best.accuracy ?? 0)).toFixed(2)}% test accuracy${cheap(best) ? ' (at reduced fidelity)' : ''}` : ''));
    // A multi-fidelity run too short for any trial to reach the top rung has only cheap estimates to
    // offer. Only halving trains below full fidelity: other runs are not read through again.
    if (config.strategy === 'halving' && counts.complete > 0 && store.trials(runId, { status: 'complete' }).every(cheap)) {
      say(`no trial reached full fidelity (${counted(config.fidelity.epochs, 'epoch')}): every accuracy above is a cheap estimate; give ${config.strategy} more --trials, or export retrains one at full fidelity`);
    }
    // Only when every proposal broke a budget: proposals that fitted and then failed in training are not the budgets' fault.
    if (counts.rejected > 0 && counts.rejected === tally.total) {
      if (closest !== undefined) {
        say(`no proposal fits ${describeBudgets(config.budgets)} (${config.profile}); the smallest predicted: ${describeBudgets(closest, ' ')}`);
        say('loosen the budgets, or search a space of smaller models (a space file can narrow widths, depth and bits)');
      } else {
        // Nothing to be close to: the device's own limits (or a table without the cell) rejected every proposal.
        const example = store.trials(runId, { status: 'rejected', limit: 1 })[0];
        say(`every proposal was rejected before training${example?.error ? `, e.g. trial ${example.number}: ${example.error}` : ''}`);
      }
    }
    // A small space runs out before the trial budget: say why the run ended early.
    const genotypes = genotypeCount(space.definition);
    if (status === 'complete' && config.trials !== null && tally.total < config.trials && tally.total >= genotypes) {
      say(`all ${genotypes.toLocaleString('en')} genotypes of the space were proposed, so the run ended before --trials ${config.trials}`);
    }
    if (status === 'interrupted') {
      // A resume keeps the run's settings: it helps when the cause lies outside them (a backend, memory, the disk).
      say(`${failing !== undefined ? 'fix the cause, then ' : ''}continue with: hwnas search --resume --db ${r.db} --name ${config.name}`
        + `${failing !== undefined ? ' (if one of the run\'s settings is the cause, start a new run without it)' : ''}`);
    }
    // Stopped by failing trials, not by a signal: a script should see a failure, not an interrupt.
    if (status === 'interrupted') return failing !== undefined ? 1 : 130;
    // Nothing was trained (every proposal broke a budget, or every trial failed): a script waiting on the search should know.
    return counts.complete === 0 && (counts.rejected > 0 || counts.failed > 0) ? 1 : 0;
  } finally {
    store.close();
  }
}
