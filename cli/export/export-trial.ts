/**
 * `hwnas export TRIAL --out DIR`: the one-command answer to "how do I get the final model?".
 * Takes the trial's stored compressed model, or retrains the genotype at the run's full
 * fidelity when the trial was only cheaply evaluated (or has no stored model), and writes
 * a standalone tfjs model, the compressed artifact, the genotype and a report.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { counted } from '../../core/plural.js';
import { UserError } from '../../core/errors.js';
import { checkOutputDir, writeOutputFile } from '../../core/output-file.js';
import { formatBytes } from '../../core/units.js';
import { readArtifact } from '../../evaluators/artifact/artifact.js';
import { loadDataset } from '../../evaluators/data/index.js';
import { evaluateTrial } from '../../evaluators/evaluate-trial.js';
import { loadModelFromDir, saveModelToDir } from '../../evaluators/model-io.js';
import type { TrialMetrics } from '../../evaluators/protocol.js';
import type { RunConfig } from '../../search/run-config.js';
import type { LayerRow } from '../../spaces/summary.js';
import type { SqliteStore } from '../../store/sqlite.js';
import { openRun, unfinishedInStoppedRun } from '../inspect/open-run.js';
import { fullFidelity } from '../../search/fidelity.js';
import type { RunRecord, TrialRecord } from '../../store/types.js';
import { exportReport } from './report.js';

export interface ExportRequest { db: string; run?: string; trial: number; out: string; retrain: boolean; force: boolean; backend?: string }

export interface ExportSource {
  run: RunRecord;
  trial: TrialRecord;
  metrics: TrialMetrics & { layers?: LayerRow[] };
  costs: ReturnType<SqliteStore['costs']>;
  artifact: Uint8Array;
  retrained: boolean;
}

async function retrain(run: RunRecord, trial: TrialRecord, backend: string | undefined, say: (line: string) => void): Promise<{ artifact: Uint8Array; metrics: TrialMetrics & { layers: LayerRow[] } }> {
  const config = run.config as unknown as RunConfig;
  const dataset = await loadDataset(config.dataset.name as never, { ...(config.dataset.dataDir !== undefined ? { dataDir: config.dataset.dataDir } : {}), seed: config.seed });
  say(`retraining trial ${trial.number} at full fidelity (${counted(config.fidelity.epochs, 'epoch')} on ${config.dataset.name}) ...`);
  const result = await evaluateTrial({
    trial: { number: trial.number, seed: trial.seed, genotype: trial.genotype, epochs: config.fidelity.epochs, trainFraction: config.fidelity.trainFraction },
    space: config.space, dataset, training: config.training, ...(backend ?? config.backend ? { backend: backend ?? config.backend } : {}),
  });
  if (result.state !== 'complete') throw new UserError(`retraining trial ${trial.number} failed: ${result.reason}`, 'pick another trial (hwnas best, hwnas pareto)');
  return { artifact: Buffer.from(result.artifact, 'base64'), metrics: { ...result.metrics, layers: result.layers } };
}

export async function exportTrial(r: ExportRequest, say: (line: string) => void): Promise<ExportSource> {
  checkOutputDir(r.out, '--out', r.force);
  const { store, run } = openRun(r.db, r.run);
  let source: ExportSource;
  try {
    const trial = store.trialByNumber(run.id, r.trial);
    if (trial === null) throw new UserError(`run '${run.name}' has no trial ${r.trial}`, 'list trials with hwnas pareto, or find one with hwnas best');
    if (trial.status !== 'complete') {
      // A killed run leaves its trials marked running: they are unfinished, and a resume trains them again.
      if (unfinishedInStoppedRun(trial, run)) throw new UserError(`trial ${r.trial} of run '${run.name}' never finished: its run stopped`, `hwnas search --resume --db ${r.db} --name ${run.name} trains it again`);
      throw new UserError(`trial ${r.trial} of run '${run.name}' is ${trial.status}${trial.error ? ` (${trial.error})` : ''}`, 'only complete trials can be exported');
    }
    const stored = store.artifact(trial.id);
    // A damaged byte can still decode, into a model far worse than the accuracy the report would claim for it.
    if (stored !== null && !stored.intact && !r.retrain) {
      throw new UserError(`trial ${r.trial}'s stored model is corrupt: it does not match the checksum stored with it`, 'hwnas export --retrain rebuilds it from its genotype; the rest of the database may be damaged too');
    }
    const metrics = trial.metrics as unknown as ExportSource['metrics'];
    source = { run, trial, metrics, costs: store.costs(trial.id), artifact: stored?.bytes ?? new Uint8Array(0), retrained: false };
  } finally {
    store.close();
  }
  const config = source.run.config as unknown as RunConfig;
  if (config.evaluator?.kind === 'tabular') {
    // Its accuracy is a table's; retraining NB201's 200-epoch schedule here would take days.
    throw new UserError(`trial ${source.trial.number} of run '${source.run.name}' was answered from a table (${config.evaluator.table}), so it has no trained model`,
      `train the architecture yourself: hwnas train --space nb201 --genotype '${JSON.stringify(source.trial.genotype)}' --dataset cifar10 --save DIR`);
  }
  if (r.retrain || source.artifact.length === 0 || !fullFidelity(source.trial, source.run)) {
    const why = r.retrain ? 'asked to' : source.artifact.length === 0 ? 'it has no stored model' : 'it was evaluated at reduced fidelity';
    say(`trial ${source.trial.number}: retraining because ${why}`);
    const fresh = await retrain(source.run, source.trial, r.backend, say);
    source = { ...source, artifact: fresh.artifact, metrics: fresh.metrics, retrained: true };
  }

  const loaded = readArtifact(source.artifact, `trial ${source.trial.number}'s stored model`);
  try {
    await saveModelToDir(loaded.model, r.out);
    writeOutputFile(join(r.out, 'model.hwnas'), source.artifact);
    writeOutputFile(join(r.out, 'genotype.json'), `${JSON.stringify(source.trial.genotype, null, 2)}\n`);
    const activations = loaded.activations ?? source.metrics.activations;
    if (activations !== undefined) writeOutputFile(join(r.out, 'activation-ranges.json'), `${JSON.stringify(activations, null, 2)}\n`);
    // An earlier export's ranges (--force over it) would claim to belong to this model.
    else rmSync(join(r.out, 'activation-ranges.json'), { force: true });
    // The exported tfjs model must compute exactly what the compressed artifact does.
    const reloaded = await loadModelFromDir(r.out);
    const x = tf.randomUniform([8, ...loaded.spec.inputShape], 0, 1, 'float32', 7);
    const same = tf.tidy(() => tf.max(tf.abs(tf.sub(loaded.model.predict(x) as tf.Tensor, reloaded.predict(x) as tf.Tensor))).dataSync()[0]!);
    x.dispose();
    reloaded.dispose();
    if (!(same === 0)) throw new Error(`exported model.json differs from the artifact (max difference ${same})`);
    writeOutputFile(join(r.out, 'report.md'), exportReport(source, loaded.spec, loaded.weightBytes, source.artifact.length));
  } finally {
    loaded.model.dispose();
  }
  return source;
}

export function describeExport(source: ExportSource, out: string): string[] {
  const m = source.metrics;
  return [
    `exported trial ${source.trial.number} of run '${source.run.name}' to ${out}${source.retrained ? ' (retrained at full fidelity)' : ''}:`,
    `  model.json + weights.bin   tfjs layers model (tf.loadLayersModel)`,
    `  model.hwnas                compressed weights, ${formatBytes(m.sizeBytes)} (${m.fp32Bytes > 0 ? `${(m.fp32Bytes / m.sizeBytes).toFixed(1)}x smaller than the uncompressed float32 network` : 'float32'})`,
    `  genotype.json, report.md   ${(100 * m.accuracy).toFixed(2)}% test accuracy, ${(m.params).toLocaleString('en')} parameters, ${(m.macs / 1e6).toFixed(2)} MMAC`,
    ...(m.activations !== undefined ? [`  activation-ranges.json     int${m.activations.bits} activations: the calibrated range of each layer's output (the accuracy above uses them)`] : []),
  ];
}
