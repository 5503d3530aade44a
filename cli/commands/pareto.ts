/** `hwnas pareto`: the non-dominated trials of a run, accuracy against costs. */
import { UserError } from '../../core/errors.js';
import { formatTable } from '../../core/format.js';
import { formatBytes } from '../../core/units.js';
import { paretoFront } from '../../search/pareto.js';
import { parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';

const COSTS = ['latency', 'energy', 'size', 'memory'] as const;
type CostKey = typeof COSTS[number];

const usage = `usage: hwnas pareto [--objectives COSTS] [--profile ID] [--db FILE] [--run NAME] [--json]

Prints the Pareto front of a run: the complete trials no other trial beats on accuracy
and every chosen cost at once, cheapest first.

options:
  --objectives COSTS  comma-separated costs to trade accuracy against: latency, energy,
                      size (stored bytes), memory (peak activations); default latency,size
  --profile ID        the device profile latency/energy/memory refer to (default: the run's)
  --db FILE           database (default hwnas.db)
  --run NAME          run name (default: the latest run)
  --json              print the front as one JSON array
  -h, --help          show this help

example:
  hwnas pareto --objectives latency,size --db runs.db`;

async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs('pareto', {
    args: argv,
    options: {
      objectives: { type: 'string', default: 'latency,size' }, profile: { type: 'string' },
      db: { type: 'string', default: 'hwnas.db' }, run: { type: 'string' }, json: { type: 'boolean', default: false },
    },
  });
  const objectives = values.objectives.split(',').map((o) => o.trim()).filter(Boolean);
  const unknown = objectives.find((o) => !(COSTS as readonly string[]).includes(o));
  if (unknown !== undefined || objectives.length === 0) throw new UserError(`unknown objective '${unknown ?? ''}'`, `use a comma-separated list of ${COSTS.join(', ')} (accuracy is always maximized)`);
  const { openRun } = await import('../inspect/open-run.js');
  const { store, run } = openRun(values.db, values.run);
  try {
    const profiles = store.profiles(run.id);
    const profile = values.profile ?? profiles[0] ?? 'proxy';
    if (values.profile !== undefined && !profiles.includes(values.profile)) {
      throw new UserError(`run '${run.name}' has no costs for profile '${values.profile}'`, profiles.length > 0 ? `its profiles: ${profiles.join(', ')}` : 'it has no costed trials yet');
    }
    const trials = store.completeWithCosts(run.id, profile);
    if (trials.length === 0) {
      if (values.json) process.stdout.write('[]\n'); else process.stdout.write(`run '${run.name}' has no complete trials yet\n`);
      return 1;
    }
    const cost = (t: typeof trials[number], key: CostKey): number => {
      const v = key === 'latency' ? t.latencyMs : key === 'energy' ? t.energyMj : key === 'size' ? t.sizeBytes : t.peakMemoryBytes;
      return v ?? Number.POSITIVE_INFINITY;
    };
    const points = trials.map((t) => [-(t.accuracy ?? 0), ...objectives.map((o) => cost(t, o as CostKey))]);
    const front = paretoFront(points).map((i) => trials[i]!)
      .sort((a, b) => cost(a, objectives[0] as CostKey) - cost(b, objectives[0] as CostKey) || (b.accuracy ?? 0) - (a.accuracy ?? 0));
    if (values.json) {
      process.stdout.write(`${JSON.stringify(front.map((t) => ({ trial: t.number, accuracy: t.accuracy, valAccuracy: t.valAccuracy, latencyMs: t.latencyMs,
        energyMj: t.energyMj, sizeBytes: t.sizeBytes, peakMemoryBytes: t.peakMemoryBytes, params: t.params, macs: t.macs, profile })))}\n`);
      return 0;
    }
    const rows = front.map((t) => [String(t.number), `${(100 * (t.accuracy ?? 0)).toFixed(2)}%`, `${(100 * (t.valAccuracy ?? 0)).toFixed(2)}%`,
      t.latencyMs === null ? '-' : `${t.latencyMs.toFixed(3)} ms`, t.energyMj === null ? '-' : `${t.energyMj.toPrecision(3)} mJ`,
      formatBytes(t.sizeBytes ?? 0), (t.params ?? 0).toLocaleString('en'), ((t.macs ?? 0) / 1e6).toFixed(3)]);
    for (const line of formatTable(['trial', 'test acc', 'val acc', 'latency', 'energy', 'stored', 'params', 'MMAC'], rows)) process.stdout.write(`${line}\n`);
    process.stdout.write(`${front.length} of ${trials.length} complete trials are Pareto-optimal for accuracy vs ${objectives.join(', ')} (${profile})\n`);
    return 0;
  } finally {
    store.close();
  }
}

export const pareto: Command = { name: 'pareto', summary: 'the Pareto front of a run: accuracy against latency, energy, size, memory', usage, run };
