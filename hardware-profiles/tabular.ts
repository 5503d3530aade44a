/**
 * Table-backed profiles, `tabular:DEVICE`: a candidate's latency and energy are the
 * table's measured `DEVICE_latency` (ms) and `DEVICE_energy` (mJ) for its architecture,
 * so a search on HW-NAS-Bench's devices optimises what was measured, not a model of it.
 * Pure: the caller reads the table (evaluators/tabular/table.ts) and hands it over. A cell
 * the table lacks, or has as null, makes the candidate infeasible on this profile, with
 * the reason, as a device limit would.
 */
import { cell, requireColumn, type Table } from '../evaluators/tabular/table.js';
import type { ModelSpec } from '../spaces/model-spec.js';
import { toArchString } from '../spaces/nb201.js';
import type { Genotype } from '../spaces/space.js';
import type { Cost, CostModel } from './cost-model.js';
import { ExecutionBuffers, planExecution } from './execution.js';
import { GraphBuffers, specGraph } from './graph.js';
import { EVERYTHING_RUNS, peakActivationBytesOf } from './memory.js';

export const TABULAR_PREFIX = 'tabular:';
export const isTabularProfile = (id: string): boolean => id.startsWith(TABULAR_PREFIX);

/** The table's key for a genotype: NB201's architecture string. */
export function archKey(genotype: Genotype): string | null {
  return typeof genotype.edge0 === 'string' ? toArchString(genotype) : null;
}

export function tabularCostModel(table: Table, profile: string, dataset: string): CostModel {
  const device = profile.slice(TABULAR_PREFIX.length);
  const latencyColumn = `${device}_latency`, energyColumn = `${device}_energy`;
  requireColumn(table, 'hw', dataset, latencyColumn);
  const hasEnergy = table.rows.some((r) => cell(r, 'hw', dataset, energyColumn) !== null);
  // One graph pass per candidate gives both the stored size and the peak memory; the scratch is reused.
  const buffers = new GraphBuffers(), executionBuffers = new ExecutionBuffers();
  const estimateGenotype = (genotype: Genotype, spec: ModelSpec): Cost => {
    const key = archKey(genotype);
    const row = key === null ? undefined : table.byArch.get(key);
    const latency = row === undefined ? null : cell(row, 'hw', dataset, latencyColumn);
    const energy = row === undefined || !hasEnergy ? null : cell(row, 'hw', dataset, energyColumn);
    const violations = row === undefined ? [`${key ?? 'this genotype'} is not in the table ${table.source}`]
      : latency === null ? [`the table has no measured ${latencyColumn} for ${key}`] : [];
    const g = specGraph(spec, buffers);
    return {
      profile, latencyMs: latency ?? Number.POSITIVE_INFINITY, energyMj: energy ?? Number.NaN,
      storedBytes: g.storedBytes, peakMemoryBytes: peakActivationBytesOf(g, planExecution(g, EVERYTHING_RUNS, executionBuffers), g.bytes), violations,
    };
  };
  return {
    profile,
    estimate: () => { throw new Error(`${profile} answers from a table by architecture: cost a genotype (costOf), not a bare network`); },
    estimateGenotype,
  };
}
