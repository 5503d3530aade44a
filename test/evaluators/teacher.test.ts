/** The distillation teacher's checks: what a run refuses before training anything. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkTeacherModel, teacherProblem } from '../../evaluators/teacher.js';

beforeAll(async () => { await tf.setBackend('cpu'); });

function classifier(inputShape: number[], classes: number, activation: 'linear' | 'softmax'): tf.LayersModel {
  const input = tf.input({ shape: inputShape });
  const flat = tf.layers.flatten().apply(input) as tf.SymbolicTensor;
  const output = tf.layers.dense({ units: classes, activation, name: 'logits' }).apply(flat) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: output });
}

describe('distillation teacher', () => {
  it('accepts logits of the dataset\'s shape and names each mismatch', () => {
    const good = classifier([28, 28, 1], 10, 'linear');
    expect(teacherProblem(good, [28, 28, 1], 10)).toBeNull();
    expect(teacherProblem(good, [32, 32, 3], 10)).toBe('takes input [null,28,28,1], the dataset gives [null,32,32,3]');
    expect(teacherProblem(good, [28, 28, 1], 100)).toBe('gives output [null,10], the dataset has 100 classes ([null,100])');
    const soft = classifier([28, 28, 1], 10, 'softmax');
    expect(teacherProblem(soft, [28, 28, 1], 10)).toBe('ends in a softmax (layer logits): distillation needs its logits');
    good.dispose();
    soft.dispose();
  });

  it('says which directory holds an unreadable model.json', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hwnas-teacher-'));
    writeFileSync(join(dir, 'model.json'), '{');
    await expect(checkTeacherModel(dir, [28, 28, 1], 10, 'cpu')).rejects.toThrow(new RegExp(`^--teacher ${dir}: cannot load its model.json: `));
  });
});
