/**
 * `hwnas train`: trains one model on a dataset and reports its accuracy, with a progress
 * bar. The reference CNN by default, or a genotype of a built-in space.
 */
import { UserError } from '../../core/errors.js';
import { unknownChoice } from '../../core/suggest.js';
import { checkOutputDir } from '../../core/output-file.js';
import { requestedBackend } from '../../evaluators/backend/names.js';
import { OPTIMIZER_NAMES } from '../../evaluators/training/optimizer-names.js';
import { LR_SCHEDULE_KINDS } from '../../evaluators/training/schedule.js';
import { parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';
import { dataDirOption } from '../data-dir-option.js';

const usage = `usage: hwnas train [options]

Trains one model and reports its test accuracy: the reference CNN (conv16-pool-conv32-
pool-dense64-dense10) by default, or the architecture of a genotype of a built-in space.

options:
  --dataset NAME      mnist (default), fashion-mnist or cifar10
  --data DIR          read the dataset files from DIR (or DIR/NAME) only
  --space NAME        train a genotype of mobile-cnn, tiny-cnn, mlp, nb201 or a space file (.json) instead
  --genotype JSON     the genotype, as a JSON object (nb201: or an architecture string)
  --preset NAME       a named genotype of the space (mlp: lenet-300-100)
  --epochs N          epochs, may be fractional (default 3)
  --batch-size N      examples per step (default 64)
  --lr X              base learning rate (default 0.002)
  --optimizer NAME    adam (default), sgd, momentum or rmsprop
  --schedule NAME     cosine (default), constant, step or exponential
  --train-fraction X  share of the training set each epoch visits, in (0, 1] (default 1)
  --validation N      training examples held out for validation (dataset default)
  --seed N            seeds weights, data order and the validation split (default 0)
  --backend NAME      gpu, node, wasm or cpu (default: the fastest that loads)
  --save DIR          write the trained model as tfjs model.json + weights.bin (DIR new or empty)
  --force             let --save write into a directory that holds files
  --json              print one JSON object at the end instead of text
  -h, --help          show this help

example:
  hwnas train --dataset fashion-mnist --epochs 5 --save ./fmnist-cnn`;

function positiveNumber(name: string, raw: string | undefined, fallback: number, integer = false): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new UserError(`option '--${name}' must be a positive ${integer ? 'integer' : 'number'}, got '${raw}'`);
  }
  return value;
}

async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs('train', {
    args: argv,
    options: {
      dataset: { type: 'string', default: 'mnist' }, data: { type: 'string' },
      space: { type: 'string' }, genotype: { type: 'string' }, preset: { type: 'string' },
      epochs: { type: 'string' }, 'batch-size': { type: 'string' }, lr: { type: 'string' },
      optimizer: { type: 'string', default: 'adam' }, schedule: { type: 'string', default: 'cosine' },
      'train-fraction': { type: 'string' }, validation: { type: 'string' }, seed: { type: 'string' },
      backend: { type: 'string' }, save: { type: 'string' }, force: { type: 'boolean', default: false }, json: { type: 'boolean', default: false },
    },
  });
  const epochs = positiveNumber('epochs', values.epochs, 3);
  const batchSize = positiveNumber('batch-size', values['batch-size'], 64, true);
  const learningRate = positiveNumber('lr', values.lr, 0.002);
  const trainFraction = positiveNumber('train-fraction', values['train-fraction'], 1);
  if (trainFraction > 1) throw new UserError(`option '--train-fraction' must be in (0, 1], got '${values['train-fraction']}'`);
  const seed = values.seed === undefined ? 0 : /^\d+$/.test(values.seed) ? Number(values.seed) : Number.NaN;
  if (!Number.isInteger(seed) || seed < 0) throw new UserError(`option '--seed' must be a non-negative integer, got '${values.seed}'`);
  const validationSize = values.validation === undefined ? undefined : Number(values.validation);
  if (validationSize !== undefined && !(Number.isInteger(validationSize) && validationSize >= 0)) {
    throw new UserError(`option '--validation' must be a non-negative integer, got '${values.validation}'`);
  }
  if (!(OPTIMIZER_NAMES as readonly string[]).includes(values.optimizer)) throw unknownChoice('optimizer', values.optimizer, OPTIMIZER_NAMES);
  if (!(LR_SCHEDULE_KINDS as readonly string[]).includes(values.schedule)) throw unknownChoice('schedule', values.schedule, LR_SCHEDULE_KINDS);
  if ((values.genotype !== undefined || values.preset !== undefined) && values.space === undefined) {
    throw new UserError('--genotype and --preset need --space (see hwnas train --help)');
  }

  // Before training, not after: a minutes-long run must not end in a refusal to save.
  if (values.save !== undefined) checkOutputDir(values.save, '--save', values.force);

  const { runTraining } = await import('../train/run-training.js');
  const outcome = await runTraining({
    dataset: values.dataset, dataDir: dataDirOption(values.data, 'train'), space: values.space, genotype: values.genotype, preset: values.preset,
    epochs, batchSize, learningRate, optimizer: values.optimizer as never, schedule: values.schedule as never,
    trainFraction, validationSize, seed, backend: requestedBackend(values.backend), saveDir: values.save, json: values.json,
  });
  return outcome.status === 'complete' ? 0 : 1;
}

export const train: Command = {
  name: 'train',
  summary: 'train one model (the reference CNN or a genotype) and report its accuracy',
  usage,
  run,
};
