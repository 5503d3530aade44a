/** `hwnas show TRIAL`: everything the store knows about one trial. */
import { UserError } from '../../core/errors.js';
import { formatPercent as pct, formatTable } from '../../core/format.js';
import { formatBytes } from '../../core/units.js';
// Types only (erased at build): the shapes the evaluator writes into metrics_json.
import type { StageReport } from '../../evaluators/pipeline/compress-model.js';
import type { LayerRow } from '../../spaces/summary.js';
import { parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';

const usage = `usage: hwnas show TRIAL [--db FILE] [--run NAME] [--json]

Prints one trial (its number in the run, as hwnas search, best and pareto print it):
status or failure reason, seed and fidelity, timings, accuracy, size and work, its
genotype, costs per profile, the compression stages, the per-layer table and the
learning curve. Works while a search is still writing the database.

options:
  --db FILE    database (default hwnas.db)
  --run NAME   run name (default: the latest run)
  --json       print everything as one JSON object (the trial record with its
               metrics, plus run, costs and epochs)
  -h, --help   show this help

example:
  hwnas show 17 --db runs.db`;

const num = (x: number | null | undefined, digits = 4) => (x === null || x === undefined ? '-' : x.toFixed(digits));
/** UTC, so the same database prints the same on every machine. */
const utc = (seconds: number) => `${new Date(seconds * 1000).toISOString().slice(0, 19).replace('T', ' ')} UTC`;

/** What the evaluator records in metrics_json, as far as `show` prints it; every field may be absent (older or failed trials). */
interface ShownMetrics {
  layers?: LayerRow[]; stages?: StageReport[]; baselineAccuracy?: number; fp32Bytes?: number;
  trainSeconds?: number; imagesPerSecond?: number; backend?: string;
  /** A rejected proposal's predicted stored size. */
  predictedSizeBytes?: number;
}

async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('show', {
    args: argv, allowPositionals: true,
    options: { db: { type: 'string', default: 'hwnas.db' }, run: { type: 'string' }, json: { type: 'boolean', default: false } },
  });
  if (positionals.length !== 1) throw new UserError('show needs one trial number', 'e.g. hwnas show 17 (hwnas best and hwnas pareto print trial numbers)');
  const number = Number(positionals[0]);
  if (!/^\d+$/.test(positionals[0]!) || !Number.isSafeInteger(number)) throw new UserError(`trial must be a trial number (an integer >= 0), got '${positionals[0]}'`);
  const { openRun, trainedFurther, unfinishedInStoppedRun } = await import('../inspect/open-run.js');
  const { formatEpochs, fullFidelity } = await import('../../search/fidelity.js');
  const { store, run } = openRun(values.db, values.run);
  try {
    const trial = store.trialByNumber(run.id, number);
    if (trial === null) {
      const range = store.trialNumberRange(run.id);
      throw new UserError(`run '${run.name}' has no trial ${number}`, range !== null ? `its trials are numbered ${range.first} to ${range.last}` : 'it has no trials yet');
    }
    const costs = store.costs(trial.id), epochs = store.epochs(trial.id);
    const later = trainedFurther(store, trial, run);
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ run: run.name, ...trial, costs, epochs, trainedFurther: later.json })}\n`);
      return 0;
    }
    const metrics = (trial.metrics ?? {}) as ShownMetrics;
    const fidelity = trial.fidelity as { epochs?: number; trainFraction?: number };
    const out = (line = '') => process.stdout.write(`${line}\n`);
    const table = (header: string[], rows: string[][], indent = '') => { for (const line of formatTable(header, rows)) out(`${indent}${line}`); };

    // A killed run leaves its trials marked running: they are unfinished, and a resume trains them again.
    out(`run '${run.name}', trial ${trial.number}: ${unfinishedInStoppedRun(trial, run) ? `unfinished (its run stopped; hwnas search --resume --db ${values.db} --name ${run.name} trains it again)` : trial.status}`);
    if (trial.error !== null) out(`  error: ${trial.error}`);
    // A rejected proposal was costed, never trained: it has no run time, and its fidelity is what it would have had.
    const rejected = trial.status === 'rejected';
    out(`  seed ${trial.seed}, ${rejected ? 'proposed for ' : ''}${fidelity.epochs === undefined ? '?' : formatEpochs(fidelity.epochs)} epoch${fidelity.epochs === 1 ? '' : 's'} on ${pct(fidelity.trainFraction ?? 1)} of the training set, `
      + `rung ${trial.rung}, worker ${trial.worker ?? '-'}${fullFidelity(trial, run) ? '' : ' (reduced fidelity: a cheap estimate; hwnas export retrains it)'}`);
    if (later.line !== null) out(later.line);
    const timing = [rejected ? `rejected ${utc(trial.queuedAt)}, before training` : `queued ${utc(trial.queuedAt)}`];
    if (trial.startedAt !== null && !rejected) timing.push(`waited ${(trial.startedAt - trial.queuedAt).toFixed(1)} s`);
    if (trial.startedAt !== null && trial.finishedAt !== null && !rejected) timing.push(`ran ${(trial.finishedAt - trial.startedAt).toFixed(1)} s`);
    if (metrics.backend === 'table') timing.push('answered by table lookup (--evaluator tabular), no training');
    else if (metrics.trainSeconds !== undefined) {
      timing.push(`of it training ${metrics.trainSeconds.toFixed(1)} s${metrics.imagesPerSecond !== undefined ? ` at ${Math.round(metrics.imagesPerSecond).toLocaleString('en')} images/s` : ''}`
        + `${metrics.backend !== undefined ? ` on ${metrics.backend}` : ''}`);
    }
    out(`  ${timing.join(', ')}`);
    if (rejected && metrics.predictedSizeBytes !== undefined) out(`  predicted ${formatBytes(metrics.predictedSizeBytes)} stored`);
    if (trial.accuracy !== null || trial.sizeBytes !== null) {
      out(`  test ${pct(trial.accuracy)} (validation ${pct(trial.valAccuracy)}, before compression ${pct(metrics.baselineAccuracy)}), `
        + `${trial.sizeBytes === null ? '-' : formatBytes(trial.sizeBytes)} stored${metrics.fp32Bytes ? ` (the uncompressed float32 network: ${formatBytes(metrics.fp32Bytes)})` : ''}, `
        + `${(trial.params ?? 0).toLocaleString('en')} parameters, ${(trial.macs ?? 0).toLocaleString('en')} MACs`);
    }

    out();
    out('genotype');
    const genes = Object.entries(trial.genotype).sort(([a], [b]) => a.localeCompare(b));
    const width = Math.max(0, ...genes.map(([k]) => k.length));
    for (const [key, value] of genes) out(`  ${key.padEnd(width)} = ${JSON.stringify(value)}`);

    if (costs.length > 0) {
      out();
      table(['profile', 'latency', 'energy', 'peak memory', 'fits'], costs.map((c) => [c.profile,
        c.latencyMs === null ? '-' : `${c.latencyMs.toFixed(3)} ms`, c.energyMj === null ? '-' : `${c.energyMj.toPrecision(3)} mJ`,
        c.peakMemoryBytes === null ? '-' : formatBytes(c.peakMemoryBytes), c.feasible ? 'yes' : 'no']));
      // The run's budgets are on its first profile; the other devices are checked against their own memory only.
      if (costs.length > 1) out(`fits: within the run's budgets on ${costs[0]!.profile}; within the device's memory on the others`);
    }
    if (metrics.stages !== undefined && metrics.stages.length > 0) {
      out();
      table(['stage', 'test acc', 'before FT', 'nonzeros', 'stored', 'what'], metrics.stages.map((s) => [s.stage,
        pct(s.accuracy), pct(s.accuracyBeforeFineTune), s.nonzeros.toLocaleString('en'), formatBytes(s.storedBytes), s.detail]));
    }
    if (metrics.layers !== undefined && metrics.layers.length > 0) {
      const layers = metrics.layers;
      const sum = (f: (l: LayerRow) => number) => layers.reduce((a, l) => a + f(l), 0).toLocaleString('en');
      out();
      table(['layer', 'kind', 'weights', 'output', 'MACs', 'nonzero MACs', 'params', 'nonzeros', 'bits', 'bytes'], [
        ...layers.map((l) => [l.name, l.kind, l.weightShape.join('x'), l.outputShape.join('x'), l.macs.toLocaleString('en'), l.effectiveMacs.toLocaleString('en'),
          l.params.toLocaleString('en'), l.nonzeros.toLocaleString('en'), String(l.bits), l.bytes.toLocaleString('en')]),
        ['total', '', '', '', sum((l) => l.macs), sum((l) => l.effectiveMacs), sum((l) => l.params), sum((l) => l.nonzeros), '', sum((l) => l.bytes)],
      ]);
    }
    if (epochs.length > 0) {
      out();
      table(['epoch', 'train loss', 'train acc', 'val loss', 'val acc', 'lr', 'seconds'], epochs.map((e) => [String(e.epoch),
        num(e.trainLoss), pct(e.trainAccuracy), num(e.valLoss), pct(e.valAccuracy), e.learningRate === null ? '-' : e.learningRate.toPrecision(3), num(e.seconds, 1)]));
    }
    return 0;
  } finally {
    store.close();
  }
}

export const show: Command = { name: 'show', summary: 'one trial: genotype, costs, compression stages, layers, learning curve', usage, run };
