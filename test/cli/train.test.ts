import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadModelFromDir } from '../../evaluators/model-io.js';
import { assertCliBuilt, hwnas } from '../helpers/run-cli.js';

beforeAll(assertCliBuilt);

describe('hwnas train', () => {
  it('trains the reference CNN on mnist and reports accuracy as JSON', async () => {
    const run = await hwnas(['train', '--epochs', '1', '--seed', '1', '--json']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout.trim().split('\n').pop()!) as { testAccuracy: number; backend: string; dataset: string; status: string; epochs: unknown[] };
    expect(result).toMatchObject({ backend: 'wasm', dataset: 'mnist', status: 'complete' });
    expect(result.epochs).toHaveLength(1);
    expect(result.testAccuracy).toBeGreaterThan(0.85);
  });

  it('names a space file by the space it declares', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'hwnas-train-')), 'relu-only.json');
    writeFileSync(file, JSON.stringify({ name: 'mlp-relu', base: 'mlp', params: { activation: { type: 'categorical', values: ['relu'] } } }));
    const run = await hwnas(['train', '--space', file, '--preset', 'lenet-300-100', '--epochs', '0.05']);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain(`training mlp-relu (${file}) (lenet-300-100) (266,610 parameters) on mnist`);
  });

  it('trains a space preset and saves a model that plain tf.loadLayersModel reads back', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'hwnas-train-')), 'lenet');
    const run = await hwnas(['train', '--space', 'mlp', '--preset', 'lenet-300-100', '--epochs', '0.3', '--save', dir]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/training mlp \(lenet-300-100\) \(266,610 parameters\) on mnist/);
    expect(run.stdout).toMatch(/test accuracy \d+\.\d\d%/);
    // A fractional budget's one (partial) epoch is not "epoch 1/1".
    expect(run.stdout).toMatch(/^epoch 1\/0\.3 /m);
    await tf.setBackend('cpu');
    const model = await loadModelFromDir(dir);
    expect((model.predict(tf.zeros([2, 28, 28, 1])) as tf.Tensor).shape).toEqual([2, 10]);
    expect(model.countParams()).toBe(266_610);
    model.dispose();
    // A saved model is not overwritten by the next training unless asked, and the refusal comes before training.
    const again = await hwnas(['train', '--epochs', '0.05', '--save', dir]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/^hwnas: .*lenet exists and is not empty\n {2}hint: choose a new --save directory, or add --force to overwrite/);
    expect(again.stdout).not.toMatch(/test accuracy/);
    expect((await hwnas(['train', '--epochs', '0.05', '--save', dir, '--force'])).code).toBe(0);
  });

  it.each([
    [['--epochs=-1'], /^hwnas: option '--epochs' must be a positive number, got '-1'$/m],
    [['--batch-size', '0'], /^hwnas: option '--batch-size' must be a positive integer, got '0'$/m],
    [['--dataset', 'imagenet'], /^hwnas: unknown dataset 'imagenet'$/m],
    [['--space', 'mlp', '--genotype', '{"depth": 9}'], /^hwnas: --genotype: depth: 9 is not a legal value/m],
    [['--space', 'nb201', '--genotype', '|conv~0|+|none~0|none~1|+|none~0|none~1|none~2|'], /unknown operation 'conv'/],
    [['--preset', 'lenet-300-100'], /--genotype and --preset need --space/],
    [['--optimizer', 'lion'], /unknown optimizer 'lion'/],
  ])('rejects %j with a one-line error and exit 2', async (args, message) => {
    const run = await hwnas(['train', ...args]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
