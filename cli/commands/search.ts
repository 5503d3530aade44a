/**
 * `hwnas search`: a search run, or the resumption of one.
 */
import { availableParallelism } from 'node:os';
import { UserError } from '../../core/errors.js';
import { parseByteBudget, parseDuration, parseEnergy, parseLatency } from '../../core/units.js';
import { parseBackendName, requestedBackend } from '../../evaluators/backend/names.js';
import { parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';
import { dataDirOption } from '../data-dir-option.js';

const usage = `usage: hwnas search [options]
       hwnas search --resume [--db FILE] [--name RUN]

Searches a space of architectures and compression settings: proposes candidates,
rejects those whose predicted cost breaks a budget before training them, trains the
rest in a pool of workers, and records everything in an SQLite database. A failed trial
is recorded and the run goes on, but 10 failures in a row (none completing between them)
stop it, resumable, with exit status 1.

options:
  --space NAME|FILE      mobile-cnn (default), tiny-cnn, mlp, nb201, or a space file (.json)
  --dataset NAME         mnist (default), fashion-mnist or cifar10
  --data DIR             read the dataset files from DIR (or DIR/NAME) only
  --strategy NAME        evolution (default), nsga2, halving (multi-fidelity successive
                         halving with Pareto promotion: 1/9, 1/3, then all of --epochs) or random
  --trials N             stop after N trained trials (default 20 unless --time is given)
  --time DURATION        stop dispatching after this long, e.g. 8h, 90m (both limits may be set)
  --workers N            parallel trials (default: one per core)
  --epochs N             training epochs per trial (default 2)
  --fine-tune-epochs N   epochs of each compression fine-tuning pass (default: half of
                         the trial's epochs)
  --teacher DIR          distill from this tfjs model (DIR/model.json, e.g. an hwnas export)
                         instead of each candidate's own uncompressed network
  --train-fraction X     share of the training set per epoch (default 1)
  --batch-size N         (default 64)     --lr X   (default 0.002)
  --optimizer NAME       adam (default), sgd, momentum, rmsprop
  --schedule NAME        cosine (default), constant, step, exponential
  --profile ID[,ID...]   device cost models: raspberry-pi-4, pixel-3, jetson-nano,
                         jetson-tx2, coral-edgetpu, stm32h743, arduino-nano33ble, eyeriss,
                         local (measured here by hwnas profile measure), a profile .json,
                         tabular:DEVICE (with --table), or proxy (a MAC count, the
                         default); budgets and objectives use the first, every trial is
                         costed on all (see hwnas profile list)
  --max-latency T        latency budget, e.g. 2ms, 500us
  --max-energy E         energy budget, e.g. 3mJ
  --max-size S           stored-size budget, e.g. 64KB, 1.5MiB
  --max-sram S           peak activation memory budget, e.g. 256KB
  --seed N               seeds proposals and training (default 0)
  --db FILE              SQLite database (default hwnas.db)
  --name RUN             run name (default run-<n>)
  --resume               continue the latest (or --name) run from the database, with the
                         settings it started with (only --db, --name, --json, --ui go with it)
  --trial-timeout T      fail a trial that trains longer than this, e.g. 10m
  --backend NAME         gpu, node, wasm or cpu
  --evaluator NAME       train (default): train every trial; tabular: answer each by lookup
                         in --table (NB201 cells; valid200 for the search, test200 reported,
                         valid12/test12 below full fidelity); defaults --dataset cifar10
  --table FILE           the table, e.g. ../shared/benchmarks/nb201.json; its measured
                         columns are profiles too: --profile tabular:raspi4 (DEVICE_latency)
  --json                 print one JSON event per line instead of text
  --ui                   show the live dashboard (hwnas dashboard's views) while searching;
                         q or Ctrl-C stops the search cleanly, as Ctrl-C does without it
  -h, --help             show this help

example:
  hwnas search --space tiny-cnn --trials 8 --max-size 64KB --db runs.db`;

/** What may go with --resume: which run, where, and how to show it. */
const RESUME_OPTIONS = new Set(['db', 'name', 'resume', 'json', 'ui', 'fault-trials']);

async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs('search', {
    args: argv,
    options: {
      space: { type: 'string' }, dataset: { type: 'string' }, data: { type: 'string' }, strategy: { type: 'string' },
      trials: { type: 'string' }, time: { type: 'string' }, workers: { type: 'string' }, epochs: { type: 'string' },
      'train-fraction': { type: 'string' }, 'fine-tune-epochs': { type: 'string' }, teacher: { type: 'string' }, 'batch-size': { type: 'string' }, lr: { type: 'string' },
      optimizer: { type: 'string' }, schedule: { type: 'string' }, profile: { type: 'string' },
      'max-latency': { type: 'string' }, 'max-energy': { type: 'string' }, 'max-size': { type: 'string' }, 'max-sram': { type: 'string' },
      seed: { type: 'string' }, db: { type: 'string', default: 'hwnas.db' }, name: { type: 'string' }, resume: { type: 'boolean', default: false },
      'trial-timeout': { type: 'string' }, backend: { type: 'string' }, json: { type: 'boolean', default: false }, ui: { type: 'boolean', default: false },
      evaluator: { type: 'string' }, table: { type: 'string' },
      // Undocumented test hook: 'N:throw,M:exit,K:diverge' injects faults into those trials.
      'fault-trials': { type: 'string' },
    },
  });
  if (values.resume) {
    // A resumed run keeps the settings it started with: a flag that would change them would be silently ignored.
    const shaping = Object.entries(values).filter(([k, v]) => v !== undefined && !RESUME_OPTIONS.has(k)).map(([k]) => `--${k}`);
    if (shaping.length > 0) {
      throw new UserError(`--resume continues a run with the settings it was started with; drop ${shaping.join(', ')}`, 'to search with other settings, start a new run (--name NEW)');
    }
  }
  const count = (name: string, raw: string | undefined, min = 1): number | undefined => {
    if (raw === undefined) return undefined;
    const n = Number(raw);
    // Past 2^53 two seeds (or counts) that differ are stored as the same number.
    if (!Number.isSafeInteger(n) || n < min) throw new UserError(`option '--${name}' must be an integer >= ${min}${n > Number.MAX_SAFE_INTEGER ? ` and at most ${Number.MAX_SAFE_INTEGER}` : ''}, got '${raw}'`);
    return n;
  };
  const positive = (name: string, raw: string | undefined): number | undefined => {
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (!(Number.isFinite(n) && n > 0)) throw new UserError(`option '--${name}' must be a positive number, got '${raw}'`);
    return n;
  };
  const unit = <T>(name: string, raw: string | undefined, parse: (s: string, o: { label: string }) => T): T | undefined =>
    raw === undefined ? undefined : parse(raw, { label: `--${name}` });
  const seconds = (ms: number | undefined) => (ms === undefined ? undefined : ms / 1000);
  // A zero --time ends the run before its first trial, a zero --trial-timeout fails every trial.
  const duration = (name: string, raw: string | undefined) => {
    const ms = unit(name, raw, parseDuration);
    if (ms !== undefined && !(ms > 0)) throw new UserError(`option '--${name}' must be longer than 0, got '${raw}'`, name === 'time' ? 'e.g. --time 8h' : 'e.g. --trial-timeout 10m');
    return seconds(ms);
  };
  // Names are shown in tables and typed back into --name: blank ones and line breaks would break both.
  if (values.name !== undefined && (values.name.trim() === '' || /[\u0000-\u001f\u007f]/.test(values.name))) {
    throw new UserError(`--name must be a visible name without line breaks, got ${JSON.stringify(values.name)}`, 'e.g. --name pi4-overnight');
  }
  if (values.profile !== undefined && values.profile.split(',').some((p) => p.trim() === '')) {
    throw new UserError(`--profile has an empty entry: '${values.profile}'`, 'give profile ids or files separated by commas, e.g. --profile raspberry-pi-4,stm32h743');
  }
  // A misspelt backend would fail every trial in its worker: refuse it here, before any run exists.
  const backend = requestedBackend(values.backend);
  if (backend !== undefined) parseBackendName(backend);
  // Every worker is a thread with its own tfjs backend, started up front: far more than the cores only costs memory.
  const workers = count('workers', values.workers);
  const cores = availableParallelism();
  if (workers !== undefined && workers > 4 * cores) throw new UserError(`--workers ${workers} is more than 4 per core on this ${cores}-core machine`, `each worker holds its own tfjs backend and data; use at most ${4 * cores} (the default is one per core)`);
  const request = {
    db: values.db, name: values.name, resume: values.resume, json: values.json, ui: values.ui, evaluator: values.evaluator, table: values.table,
    space: values.space, dataset: values.dataset, dataDir: dataDirOption(values.data, 'search'), strategy: values.strategy,
    trials: count('trials', values.trials), seconds: duration('time', values.time),
    workers, epochs: positive('epochs', values.epochs), trainFraction: positive('train-fraction', values['train-fraction']),
    fineTuneEpochs: positive('fine-tune-epochs', values['fine-tune-epochs']), teacherDir: values.teacher,
    batchSize: count('batch-size', values['batch-size']), learningRate: positive('lr', values.lr), optimizer: values.optimizer, schedule: values.schedule,
    profile: values.profile, seed: count('seed', values.seed, 0),
    budgets: {
      maxLatencyMs: unit('max-latency', values['max-latency'], parseLatency), maxEnergyMj: unit('max-energy', values['max-energy'], parseEnergy),
      maxSizeBytes: unit('max-size', values['max-size'], parseByteBudget), maxPeakMemoryBytes: unit('max-sram', values['max-sram'], parseByteBudget),
    },
    trialTimeoutSeconds: duration('trial-timeout', values['trial-timeout']),
    backend,
    faults: values['fault-trials'],
  };
  // A zero budget fits no model: the run would reject 2,000 proposals and end.
  for (const [flag, value] of [['--max-latency', request.budgets.maxLatencyMs], ['--max-energy', request.budgets.maxEnergyMj], ['--max-size', request.budgets.maxSizeBytes], ['--max-sram', request.budgets.maxPeakMemoryBytes]] as const) {
    if (value === 0) throw new UserError(`option '${flag}' must be more than 0: no model fits a zero budget`, 'leave the budget out to search without it');
  }
  if (request.trainFraction !== undefined && request.trainFraction > 1) throw new UserError(`option '--train-fraction' must be in (0, 1], got '${values['train-fraction']}'`);
  const { searchCommand } = await import('../search/search-command.js');
  return searchCommand(request);
}

export const search: Command = { name: 'search', summary: 'search architectures and compression under hardware budgets', usage, run };
