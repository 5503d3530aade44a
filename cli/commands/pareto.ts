/** `hwnas pareto`: the non-dominated trials of a run, accuracy against costs. */
import { UserError } from '../../core/errors.js';
import { formatPercent, formatTable } from '../../core/format.js';
import { counted } from '../../core/plural.js';
import { formatBytes } from '../../core/units.js';
import { paretoFront } from '../../search/pareto.js';
import { budgetBytes } from '../../search/run-config.js';
import { parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';

const COSTS = ['latency', 'energy', 'size', 'memory'] as const;
type CostKey = typeof COSTS[number];

const usage = `usage: hwnas pareto [--objectives LIST] [--profile ID] [--db FILE] [--run NAME] [--json]

Prints the Pareto front of a run: the complete trials no other complete trial beats on
test accuracy and every chosen cost at once, cheapest (on the first cost) first, then
how many of the run's complete trials that is. Failed, pruned and unfinished trials are
left out, so it can be run while a search is still writing the database, and so is a
halving rung's result for a genotype a later rung trained further.

options:
  --objectives LIST  comma-separated: accuracy (always maximized, may be omitted) and the
                     costs to minimize: latency, energy, size (stored bytes), memory (peak
                     activations); default accuracy,latency,size
  --profile ID       the device profile latency, energy and memory refer to (default: the
                     run's first --profile)
  --db FILE          database (default hwnas.db)
  --run NAME         run name (default: the latest run)
  --json             print the front as one JSON array, one object per trial
  -h, --help         show this help

example:
  hwnas pareto --objectives accuracy,latency,size --profile raspberry-pi-4 --db runs.db`;

/** Objective names -> the costs to minimize; accuracy is implied, so listing it is allowed. */
function parseObjectives(text: string): CostKey[] {
  const names = text.split(',').map((o) => o.trim()).filter((o) => o !== '' && o !== 'accuracy');
  const unknown = names.find((o) => !(COSTS as readonly string[]).includes(o));
  const hint = `use a comma-separated list of accuracy, ${COSTS.join(', ')}`;
  if (unknown !== undefined) throw new UserError(`unknown objective '${unknown}'`, hint);
  if (names.length === 0) throw new UserError('--objectives needs at least one cost besides accuracy', hint);
  return [...new Set(names as CostKey[])];
}

async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs('pareto', {
    args: argv,
    options: {
      objectives: { type: 'string', default: 'accuracy,latency,size' }, profile: { type: 'string' },
      db: { type: 'string', default: 'hwnas.db' }, run: { type: 'string' }, json: { type: 'boolean', default: false },
    },
  });
  const objectives = parseObjectives(values.objectives);
  const { brokenRunSizeBudget, openRun, requireRunProfile, runProfiles } = await import('../inspect/open-run.js');
  const { fullFidelity, supersededByLaterRung } = await import('../../search/fidelity.js');
  const { store, run } = openRun(values.db, values.run);
  try {
    // The configured order comes first: its first profile is the one the search optimized
    // for (the dashboard's default too), whereas costed profiles come back sorted by name.
    const profile = values.profile !== undefined ? requireRunProfile(store, run, values.profile) : runProfiles(store, run)[0] ?? 'proxy';
    const complete = store.completeWithCosts(run.id, profile);
    type Trial = typeof complete[number];
    const cost = (t: Trial, key: CostKey): number | null =>
      (key === 'latency' ? t.latencyMs : key === 'energy' ? t.energyMj : key === 'size' ? t.sizeBytes : t.peakMemoryBytes);
    // A trial missing a chosen cost cannot be compared on it; counting it as free or as
    // infinitely expensive would both misplace it, so it is left out (and said so).
    const superseded = supersededByLaterRung(complete);
    const trials = complete.filter((t) => !superseded.has(t.id) && objectives.every((o) => cost(t, o) !== null));
    if (trials.length === 0) {
      if (values.json) process.stdout.write('[]\n');
      else process.stdout.write(`run '${run.name}' has no complete trials${complete.length > 0 ? ` with ${objectives.join(', ')} on ${profile}` : run.status === 'running' ? ' yet' : ''}\n`);
      return 1;
    }
    const first = objectives[0]!;
    const front = paretoFront(trials.map((t) => [-(t.accuracy ?? 0), ...objectives.map((o) => cost(t, o)!)])).map((i) => trials[i]!)
      .sort((a, b) => cost(a, first)! - cost(b, first)! || (b.accuracy ?? 0) - (a.accuracy ?? 0) || a.number - b.number);
    // A trial whose trained model broke the run's size budget stays on the trade-off, marked: the search did not count it.
    const overSize = (t: Trial) => brokenRunSizeBudget(run, t.sizeBytes) !== undefined;
    if (values.json) {
      process.stdout.write(`${JSON.stringify(front.map((t) => ({ trial: t.number, accuracy: t.accuracy, valAccuracy: t.valAccuracy, profile, latencyMs: t.latencyMs,
        energyMj: t.energyMj, sizeBytes: t.sizeBytes, peakMemoryBytes: t.peakMemoryBytes, params: t.params, macs: t.macs, genotype: t.genotype, fullFidelity: fullFidelity(t, run),
        withinRunBudgets: !overSize(t) })))}\n`);
      return 0;
    }
    // Peak memory gets a column when it is an objective; a trial trained at reduced fidelity (halving's low rungs) is starred.
    const memory = objectives.includes('memory');
    const reduced = front.filter((t) => !fullFidelity(t, run)).length;
    const brokenBudget = front.map((t) => brokenRunSizeBudget(run, t.sizeBytes)).find((b) => b !== undefined);
    const rows = front.map((t) => [`${t.number}${fullFidelity(t, run) ? '' : '*'}${overSize(t) ? '!' : ''}`, formatPercent(t.accuracy), formatPercent(t.valAccuracy),
      t.latencyMs === null ? '-' : `${t.latencyMs.toFixed(3)} ms`, t.energyMj === null ? '-' : `${t.energyMj.toPrecision(3)} mJ`,
      ...(memory ? [t.peakMemoryBytes === null ? '-' : formatBytes(t.peakMemoryBytes)] : []),
      t.sizeBytes === null ? '-' : formatBytes(t.sizeBytes), t.params === null ? '-' : t.params.toLocaleString('en'), t.macs === null ? '-' : (t.macs / 1e6).toFixed(3)]);
    const header = ['trial', 'test acc', 'val acc', 'latency', 'energy', ...(memory ? ['peak mem'] : []), 'stored', 'params', 'MMAC'];
    for (const line of formatTable(header, rows)) process.stdout.write(`${line}\n`);
    const skipped = complete.length - trials.length - superseded.size;
    process.stdout.write(`${front.length} of ${complete.length} complete trials are Pareto-optimal for accuracy vs ${objectives.join(', ')} (${profile})`
      + `${skipped > 0 ? `; ${skipped} without these costs left out` : ''}`
      + `${superseded.size > 0 ? `; ${counted(superseded.size, 'earlier-rung result')} of genotypes a later rung trained further left out` : ''}\n`);
    if (reduced > 0) process.stdout.write(`* trained at reduced fidelity (a multi-fidelity rung): a cheap estimate; hwnas export retrains it at full fidelity\n`);
    if (brokenBudget !== undefined) process.stdout.write(`! over the run's size budget (${budgetBytes(brokenBudget)}) once trained: the search did not count it\n`);
    return 0;
  } finally {
    store.close();
  }
}

export const pareto: Command = { name: 'pareto', summary: 'the Pareto front of a run: accuracy against latency, energy, size, memory', usage, run };
