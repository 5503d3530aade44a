/** `hwnas export TRIAL --out DIR`: a trial's model as files anyone can load. */
import { UserError } from '../../core/errors.js';
import { parseBackendName } from '../../evaluators/backend/names.js';
import { parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';

const usage = `usage: hwnas export TRIAL --out DIR [--db FILE] [--run NAME] [--retrain] [--force]

Writes trial TRIAL (its number in the run, as hwnas best/pareto/show print it) to DIR:
model.json + weights.bin (a tfjs layers model: tf.loadLayersModel), model.hwnas (the
compressed weights whose size the search optimized), genotype.json and report.md
(accuracy, size, per-profile latency/energy, per-layer table, compression stages).
Uses the trial's stored model; a trial trained below the run's own --epochs and
--train-fraction (a low halving rung) is first retrained at them.

options:
  --out DIR       output directory (must be new or empty unless --force)
  --db FILE       database (default hwnas.db)
  --run NAME      run name (default: the latest run)
  --retrain       retrain at full fidelity even when a stored model exists
  --force         write into a non-empty --out directory
  --backend NAME  backend for retraining: gpu, node, wasm or cpu
  -h, --help      show this help

example:
  hwnas export 17 --out best-model --db runs.db`;

async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('export', {
    args: argv, allowPositionals: true,
    options: {
      out: { type: 'string' }, db: { type: 'string', default: 'hwnas.db' }, run: { type: 'string' },
      retrain: { type: 'boolean', default: false }, force: { type: 'boolean', default: false }, backend: { type: 'string' },
    },
  });
  if (positionals.length !== 1) throw new UserError(positionals.length === 0 ? 'export needs a trial number' : `export takes one trial number, got ${positionals.length} arguments`, 'e.g. hwnas export 17 --out best-model');
  const trial = /^\d+$/.test(positionals[0]!) ? Number(positionals[0]) : Number.NaN;
  if (!Number.isInteger(trial) || trial < 0) throw new UserError(`trial must be a trial number (an integer >= 0), got '${positionals[0]}'`, 'hwnas best and hwnas pareto print trial numbers');
  if (values.out === undefined) throw new UserError('export needs --out DIR', 'e.g. hwnas export 17 --out best-model');
  // Checked even when the stored model makes retraining unnecessary: a misspelt flag is never silently accepted.
  if (values.backend !== undefined) parseBackendName(values.backend);
  const { exportTrial, describeExport } = await import('../export/export-trial.js');
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const source = await exportTrial({ db: values.db, trial, out: values.out, retrain: values.retrain, force: values.force,
    ...(values.run !== undefined ? { run: values.run } : {}), ...(values.backend !== undefined ? { backend: values.backend } : {}) }, say);
  for (const line of describeExport(source, values.out)) say(line);
  return 0;
}

export const exportCommand: Command = { name: 'export', summary: 'write a trial\'s model (tfjs + compressed file + report) to a directory', usage, run };
