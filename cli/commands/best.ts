/**
 * `hwnas best`: the most accurate trial within budgets, answered from the store's
 * staircase indexes (milliseconds at a million trials), read-only.
 */
import { UserError } from '../../core/errors.js';
import { formatBytes, parseByteBudget, parseEnergy, parseLatency } from '../../core/units.js';
import { describeBudgets, overBudget, type Budgets, type RunConfig } from '../../search/run-config.js';
import { parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';

const usage = `usage: hwnas best [--max-latency T] [--max-energy E] [--max-size S] [--max-sram S]
                  [--profile ID] [--db FILE] [--run NAME] [--json]

Prints the most accurate complete trial of a run (the latest by default) that fits every
given budget; among equally accurate trials, the cheapest on the first budget. Without
budgets or --profile, the run's own budgets (a trained model can break one its prediction
met): the trial the search reported as its best.

options:
  --max-latency T   e.g. 2ms, 500us
  --max-energy E    e.g. 3mJ
  --max-size S      stored size, e.g. 64KB, 1.5MiB
  --max-sram S      peak activation memory, e.g. 256KB
  --profile ID      the device profile latency, energy and memory budgets refer to
                    (default: the run's first --profile, the one it searched for)
  --metric NAME     accuracy (the only one so far)
  --db FILE         database (default hwnas.db)
  --run NAME        run name (default: the latest run)
  --json            print the trial as one JSON object
  -h, --help        show this help

example:
  hwnas best --max-latency 2ms --profile proxy --db runs.db`;

async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs('best', {
    args: argv,
    options: {
      'max-latency': { type: 'string' }, 'max-energy': { type: 'string' }, 'max-size': { type: 'string' }, 'max-sram': { type: 'string' },
      profile: { type: 'string' }, metric: { type: 'string', default: 'accuracy' }, db: { type: 'string', default: 'hwnas.db' },
      run: { type: 'string' }, json: { type: 'boolean', default: false },
    },
  });
  if (values.metric !== 'accuracy') throw new UserError(`unknown metric '${values.metric}'`, 'use --metric accuracy');
  const { brokenRunSizeBudget, openRun, requireRunProfile, runProfiles, trainedFurther } = await import('../inspect/open-run.js');
  const { fullFidelity, reducedFidelity } = await import('../../search/fidelity.js');
  const { store, run } = openRun(values.db, values.run);
  try {
    // As pareto: the run's first profile unless another it was costed on is named.
    const profile = values.profile !== undefined ? requireRunProfile(store, run, values.profile) : runProfiles(store, run)[0];
    const asked = (['max-latency', 'max-energy', 'max-size', 'max-sram'] as const).some((k) => values[k] !== undefined);
    // Nothing asked: the search's own answer, within the budgets it searched under (on its first profile).
    const runBudgets: Budgets = !asked && values.profile === undefined ? (run.config as unknown as RunConfig).budgets ?? {} : {};
    const query = {
      runId: run.id,
      ...runBudgets,
      ...(profile !== undefined ? { profile } : {}),
      ...(values['max-latency'] !== undefined ? { maxLatencyMs: parseLatency(values['max-latency'], { label: '--max-latency' }) } : {}),
      ...(values['max-energy'] !== undefined ? { maxEnergyMj: parseEnergy(values['max-energy'], { label: '--max-energy' }) } : {}),
      ...(values['max-size'] !== undefined ? { maxSizeBytes: parseByteBudget(values['max-size'], { label: '--max-size' }) } : {}),
      ...(values['max-sram'] !== undefined ? { maxPeakMemoryBytes: parseByteBudget(values['max-sram'], { label: '--max-sram' }) } : {}),
    };
    const started = performance.now();
    const best = store.best(query);
    const ms = performance.now() - started;
    if (best === null) {
      // A table without the device's energies stores none: an energy budget then rules out every trial, which is not "nothing fits".
      const { maxEnergyMj: _, ...withoutEnergy } = query;
      const anyTrial = 'maxEnergyMj' in query ? store.best(withoutEnergy) : null;
      if (anyTrial !== null && profile !== undefined && store.costs(anyTrial.id).find((c) => c.profile === profile)?.energyMj === null) {
        throw new UserError(`profile '${profile}' has no energy figures for run '${run.name}': --max-energy cannot be checked`, 'drop --max-energy, or ask on a profile with energies (--profile)');
      }
      if (values.json) process.stdout.write('null\n');
      else {
        // With no budget asked, nothing fits because nothing completed (or nothing met the run's budgets): say which, as pareto does.
        const message = asked ? `no complete trial of run '${run.name}' fits these budgets`
          : Object.keys(runBudgets).length > 0 && store.counts(run.id).byStatus.complete > 0 ? `no complete trial of run '${run.name}' fits its budgets (${describeBudgets(runBudgets)})`
            : `run '${run.name}' has no complete trials`;
        process.stdout.write(`${message}\n`);
      }
      return 1;
    }
    const costs = store.costs(best.id);
    // A halving rung's result whose genotype a later rung trained further: that later result is the genotype's own.
    const later = trainedFurther(store, best, run);
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ run: run.name, trial: best.number, id: best.id, accuracy: best.accuracy, valAccuracy: best.valAccuracy,
        sizeBytes: best.sizeBytes, params: best.params, macs: best.macs, costs, genotype: best.genotype, fullFidelity: fullFidelity(best, run),
        trainedFurther: later.json,
        queryMs: Number(ms.toFixed(3)) })}\n`);
      return 0;
    }
    process.stdout.write(`run '${run.name}', trial ${best.number}: ${(100 * (best.accuracy ?? 0)).toFixed(2)}% test accuracy `
      + `(validation ${(100 * (best.valAccuracy ?? 0)).toFixed(2)}%), ${formatBytes(best.sizeBytes ?? 0)} stored, `
      + `${(best.params ?? 0).toLocaleString('en')} parameters, ${((best.macs ?? 0) / 1e6).toFixed(2)} MMAC\n`);
    // A profile without a figure (a table's unmeasured energy) prints '-', not a made-up zero.
    for (const c of costs) {
      process.stdout.write(`  ${c.profile}: ${c.latencyMs === null ? '-' : `${c.latencyMs.toFixed(3)} ms`}, ${c.energyMj === null ? '-' : `${c.energyMj.toPrecision(3)} mJ`}, `
        + `peak memory ${c.peakMemoryBytes === null ? '-' : formatBytes(c.peakMemoryBytes)}\n`);
    }
    process.stdout.write(`  genotype ${JSON.stringify(best.genotype)}\n`);
    if (Object.keys(runBudgets).length > 0) process.stdout.write(`  within the run's budgets: ${describeBudgets(runBudgets)} (give budgets to ask for others)\n`);
    // Asked with budgets of one's own, the answer can be a trial the search itself ruled out.
    const broken = brokenRunSizeBudget(run, best.sizeBytes);
    if (broken !== undefined) process.stdout.write(`  over the run's own budget once trained: ${overBudget('size', best.sizeBytes!, broken)} (the search did not count it)\n`);
    const reduced = reducedFidelity(best, run);
    if (reduced !== '') process.stdout.write(`  trained ${reduced} only: a cheap estimate (hwnas export retrains it at full fidelity)\n`);
    if (later.line !== null) process.stdout.write(`${later.line}\n`);
    process.stdout.write(`  (answered in ${ms.toFixed(2)} ms)\n`);
    return 0;
  } finally {
    store.close();
  }
}

export const best: Command = { name: 'best', summary: 'the most accurate trial within latency, energy, size and memory budgets', usage, run };
