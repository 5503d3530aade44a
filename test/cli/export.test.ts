/**
 * `hwnas export`: a real small search, then its best trial exported; the exported tfjs
 * model must load and compute exactly what the stored compressed artifact computes.
 */
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { readArtifact } from '../../evaluators/artifact/artifact.js';
import { loadModelFromDir } from '../../evaluators/model-io.js';
import { SqliteStore } from '../../store/sqlite.js';
import { assertCliBuilt, hwnas } from '../helpers/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'hwnas-export-'));
const db = join(dir, 'runs.db');
let bestTrial = -1;

beforeAll(async () => {
  assertCliBuilt();
  await tf.setBackend('cpu');
  const search = await hwnas(['search', '--space', 'mlp', '--epochs', '0.3', '--trials', '3', '--workers', '2', '--seed', '4', '--db', db, '--json'], {}, 180_000);
  expect(search.code).toBe(0);
  const best = JSON.parse((await hwnas(['best', '--db', db, '--json'])).stdout) as { trial: number };
  bestTrial = best.trial;
}, 240_000);

describe('hwnas export', () => {
  it('writes a tfjs model, the compressed artifact, the genotype and a report that agree with the store', async () => {
    const out = join(dir, 'best');
    const result = await hwnas(['export', String(bestTrial), '--out', out, '--db', db]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`exported trial ${bestTrial} of run 'run-1'`));
    for (const f of ['model.json', 'weights.bin', 'model.hwnas', 'genotype.json', 'report.md']) expect(existsSync(join(out, f))).toBe(true);

    const store = SqliteStore.open(db, { readonly: true });
    const trial = store.trialByNumber(store.latestRun()!.id, bestTrial)!;
    const stored = store.artifact(trial.id)!;
    store.close();
    expect(Buffer.compare(readFileSync(join(out, 'model.hwnas')), Buffer.from(stored.bytes))).toBe(0);
    expect(stored.intact).toBe(true);
    expect(JSON.parse(readFileSync(join(out, 'genotype.json'), 'utf8'))).toEqual(trial.genotype);

    const fromArtifact = readArtifact(new Uint8Array(readFileSync(join(out, 'model.hwnas')))).model;
    const fromTfjs = await loadModelFromDir(out);
    const x = tf.randomUniform([16, 28, 28, 1], 0, 1, 'float32', 3);
    expect(Array.from((fromTfjs.predict(x) as tf.Tensor).dataSync())).toEqual(Array.from((fromArtifact.predict(x) as tf.Tensor).dataSync()));
    const report = readFileSync(join(out, 'report.md'), 'utf8');
    expect(report).toContain(`# run-1, trial ${bestTrial}`);
    expect(report).toContain(`| test accuracy (as stored) | ${(100 * trial.accuracy!).toFixed(2)}% |`);
    expect(report).toMatch(/\| proxy \| [\d.]+ ms \|/);
    expect(report).toContain("tf.loadLayersModel('file://./model.json')");
  });

  it('retrains at full fidelity on request and still exports a loadable model', async () => {
    const out = join(dir, 'retrained');
    const result = await hwnas(['export', String(bestTrial), '--out', out, '--db', db, '--retrain', '--backend', 'wasm'], {}, 180_000);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/retraining because asked to/);
    expect(result.stdout).toMatch(/\(retrained at full fidelity\)/);
    expect(existsSync(join(out, 'model.json'))).toBe(true);
  });

  it.each([
    [['999'], /run 'run-1' has no trial 999/],
    [['abc'], /trial must be a trial number/],
    [[], /export needs a trial number/],
    [[''], /trial must be a trial number \(an integer >= 0\), got ''/],
    [['1e0'], /trial must be a trial number/],
    [['0', '--backend', 'bogus'], /unknown backend 'bogus'/],
  ])('rejects %j with a one-line error', async (args, message) => {
    const result = await hwnas(['export', ...args, '--out', join(dir, 'never'), '--db', db]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(existsSync(join(dir, 'never'))).toBe(false);
  });

  it('calls a damaged stored model damaged, with the way out, not a bug in hwnas', async () => {
    const damaged = join(dir, 'damaged.db');
    copyFileSync(db, damaged);
    const raw = new Database(damaged);
    raw.prepare('UPDATE trial_artifacts SET bytes = substr(bytes, 1, length(bytes) - 1000)').run();
    raw.close();
    const result = await hwnas(['export', String(bestTrial), '--out', join(dir, 'from-damaged'), '--db', damaged]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`^hwnas: trial ${bestTrial}'s stored model is (corrupt|truncated)`));
    expect(result.stderr).toMatch(/hint: .*hwnas export --retrain/);
    expect(result.stderr).not.toMatch(/internal error|\n +at /);

    // One flipped byte inside a weight record still decodes: only the checksum finds it.
    const flipped = join(dir, 'flipped.db');
    copyFileSync(db, flipped);
    const flip = new Database(flipped);
    const row = flip.prepare('SELECT trial_id, bytes FROM trial_artifacts LIMIT 1').get() as { trial_id: number; bytes: Buffer };
    row.bytes[row.bytes.length - 100] ^= 0x01;
    flip.prepare('UPDATE trial_artifacts SET bytes = ? WHERE trial_id = ?').run(row.bytes, row.trial_id);
    const number = (flip.prepare('SELECT number FROM trials WHERE id = ?').get(row.trial_id) as { number: number }).number;
    flip.close();
    const fromFlipped = await hwnas(['export', String(number), '--out', join(dir, 'from-flipped'), '--db', flipped]);
    expect(fromFlipped.code).toBe(2);
    expect(fromFlipped.stderr).toMatch(new RegExp(`^hwnas: trial ${number}'s stored model is corrupt: it does not match the checksum stored with it\n +hint: hwnas export --retrain`));
    expect(existsSync(join(dir, 'from-flipped', 'model.json'))).toBe(false);
  });

  it('refuses a trial a table answered (it has no model; retraining NB201 would take days)', async () => {
    const tabular = join(dir, 'tabular.db');
    const store = SqliteStore.open(tabular);
    const runId = store.createRun({ name: 'table', space: 'nb201', dataset: 'cifar10', strategy: 'random', seed: 0,
      config: { space: 'nb201', fidelity: { epochs: 200, trainFraction: 1 }, evaluator: { kind: 'tabular', table: 'nb201.json' } } });
    store.insertFinishedTrials(runId, [{ number: 0, genotype: { edge0: 'skip_connect' }, genotypeHash: 'h', seed: 0, fidelity: { epochs: 200 }, rung: 0,
      outcome: { status: 'complete', accuracy: 0.9 } }], null);
    store.close();
    const result = await hwnas(['export', '0', '--out', join(dir, 'from-table'), '--db', tabular]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^hwnas: trial 0 of run 'table' was answered from a table \(nb201.json\), so it has no trained model\n +hint: train the architecture yourself: hwnas train --space nb201/);
  });

  it('refuses to overwrite a non-empty directory without --force, and a missing database', async () => {
    const out = join(dir, 'busy');
    await hwnas(['export', String(bestTrial), '--out', out, '--db', db]);
    writeFileSync(join(out, 'mine.txt'), 'keep me');
    const again = await hwnas(['export', String(bestTrial), '--out', out, '--db', db]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/exists and is not empty/);
    // An earlier export's activation ranges must not survive to describe this model.
    writeFileSync(join(out, 'activation-ranges.json'), '"stale"');
    expect((await hwnas(['export', String(bestTrial), '--out', out, '--db', db, '--force'])).code).toBe(0);
    expect(readFileSync(join(out, 'mine.txt'), 'utf8')).toBe('keep me');
    expect(existsSync(join(out, 'activation-ranges.json')) ? readFileSync(join(out, 'activation-ranges.json'), 'utf8') : 'gone').not.toBe('"stale"');
    const file = join(dir, 'a-file');
    writeFileSync(file, 'not a directory');
    const onFile = await hwnas(['export', String(bestTrial), '--out', file, '--db', db]);
    expect(onFile.code).toBe(2);
    expect(onFile.stderr).toMatch(/^hwnas: .*a-file is a file, not a directory\n/);
    const missing = await hwnas(['export', '0', '--out', join(dir, 'x'), '--db', join(dir, 'nope.db')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no database at/);
  });
});
