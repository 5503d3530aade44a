/**
 * One trial as the detail view shows it: the record, its costs on every profile, its
 * learning curve, and the per-layer table with each layer's share of the predicted
 * latency on the dashboard's profile. Read on demand (Enter), never in the refresh loop.
 */
import type { Json } from '../core/json.js';
import { costModelFor } from '../hardware-profiles/registry.js';
import type { RooflineModel } from '../hardware-profiles/roofline.js';
import { costSpecOf, type BuiltinSpace } from '../spaces/builtin.js';
import { datasetShape } from '../spaces/dataset-shapes.js';
import { storedSpace } from '../spaces/space-file.js';
import type { LayerRow } from '../spaces/summary.js';
import type { SqliteStore } from '../store/sqlite.js';
import type { EpochRow, RunRecord, TrialRecord } from '../store/types.js';

export interface DetailLayer {
  name: string;
  kind: string;
  outputShape: number[];
  macs: number;
  /** Share of zero weights. */
  sparsity: number;
  bits: number;
  bytes: number;
  /** Share of the model's predicted latency on the profile; null when it cannot be predicted (the proxy profile). */
  latencyShare: number | null;
}

export interface TrialDetail {
  trial: TrialRecord;
  costs: ReturnType<SqliteStore['costs']>;
  epochs: EpochRow[];
  layers: DetailLayer[];
  /** Share of predicted latency in kernels without weights (pooling, sums, activations, ...). */
  otherLatencyShare: number | null;
}

function spaceOfRun(run: RunRecord): BuiltinSpace | null {
  const space = (run.config as { space?: string | Json }).space ?? run.space;
  try {
    return storedSpace(space);
  } catch {
    return null;
  }
}

/** Per node name, its share of the predicted latency; null where the profile has no per-layer model. */
function latencyShares(run: RunRecord, trial: TrialRecord, profile: string): Map<string, number> | null {
  const space = spaceOfRun(run), shape = datasetShape(run.dataset);
  if (space === null || shape === undefined) return null;
  try {
    // Only roofline profiles cost layer by layer (not the MAC proxy, not a table).
    const model = costModelFor(profile);
    if (!('estimateDetailed' in model)) return null;
    const cost = (model as RooflineModel).estimateDetailed(costSpecOf(space, trial.genotype, shape));
    const total = cost.layers.reduce((s, l) => s + l.latencyMs, 0);
    return new Map(cost.layers.map((l) => [l.name, total > 0 ? l.latencyMs / total : 0]));
  } catch {
    // A profile file that has moved since the run: the table goes without the column.
    return null;
  }
}

export function loadTrialDetail(store: SqliteStore, run: RunRecord, profile: string, number: number): TrialDetail | null {
  const trial = store.trialByNumber(run.id, number);
  if (trial === null) return null;
  const rows = ((trial.metrics as { layers?: LayerRow[] } | null)?.layers) ?? [];
  const shares = latencyShares(run, trial, profile);
  const layers = rows.map((l): DetailLayer => ({
    name: l.name, kind: l.kind, outputShape: l.outputShape, macs: l.macs, sparsity: l.params > 0 ? 1 - l.nonzeros / l.params : 0, bits: l.bits, bytes: l.bytes,
    latencyShare: shares === null ? null : shares.get(l.name) ?? 0,
  }));
  const otherLatencyShare = shares === null ? null : Math.max(0, 1 - layers.reduce((s, l) => s + (l.latencyShare ?? 0), 0));
  return { trial, costs: store.costs(trial.id), epochs: store.epochs(trial.id), layers, otherLatencyShare };
}
