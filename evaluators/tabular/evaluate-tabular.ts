/**
 * The `tabular` evaluator: a trial answered by looking its architecture up in a table of
 * trained ones, in a pool worker like a trained trial, with the same result shape. As in
 * the NB201 protocol the search sees validation accuracy (valid200 at full fidelity,
 * valid12 below it: the 12-epoch schedule is the table's cheap fidelity) and test
 * accuracy (test200 / test12) is what reports show.
 */
import type { BuiltinSpace } from '../../spaces/builtin.js';
import { analyzeSpec, specTotals } from '../../spaces/analyze.js';
import { summarizeSpec } from '../../spaces/summary.js';
import { archKey } from '../../hardware-profiles/tabular.js';
import type { EvalRequest, EvalResult } from '../protocol.js';
import { cell, readTable } from './table.js';

export interface TabularSettings {
  /** Path of the table file. */
  table: string;
  /** The table's dataset key, e.g. cifar10. */
  dataset: string;
  /** Epochs of a full-fidelity trial: fewer read the 12-epoch columns. */
  fullEpochs: number;
}

/** Which table columns a trial at `epochs` reads. */
export function tabularColumns(epochs: number, fullEpochs: number): { validation: string; test: string } {
  return epochs >= fullEpochs ? { validation: 'valid200', test: 'test200' } : { validation: 'valid12', test: 'test12' };
}

export function evaluateTabular(request: EvalRequest, settings: TabularSettings, space: BuiltinSpace): EvalResult {
  const table = readTable(settings.table);
  const key = archKey(request.trial.genotype);
  const row = key === null ? undefined : table.byArch.get(key);
  if (row === undefined) return { state: 'failed', kind: 'invalid', reason: `${key ?? 'the genotype'} is not in the table ${settings.table}`, epochs: [] };
  const columns = tabularColumns(request.trial.epochs, settings.fullEpochs);
  const validation = cell(row, 'acc', settings.dataset, columns.validation), test = cell(row, 'acc', settings.dataset, columns.test);
  if (validation === null || test === null) {
    return { state: 'failed', kind: 'invalid', reason: `the table has no ${validation === null ? columns.validation : columns.test} accuracy for ${key} on ${settings.dataset}`, epochs: [] };
  }
  const spec = space.toSpec(request.trial.genotype, request.dataset);
  const totals = specTotals(analyzeSpec(spec));
  return {
    state: 'complete', epochs: [], layers: summarizeSpec(spec), artifact: '',
    metrics: {
      accuracy: test / 100, valAccuracy: validation / 100, baselineAccuracy: test / 100, fp32Bytes: 4 * totals.params,
      nonzeros: totals.params, effectiveMacs: totals.macs, stages: [], bestEpoch: request.trial.epochs,
      params: totals.params, macs: totals.macs, sizeBytes: 4 * totals.params, trainSeconds: 0, imagesPerSecond: 0, backend: 'table',
    },
  };
}
