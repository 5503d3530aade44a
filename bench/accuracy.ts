/**
 * npm run bench:accuracy [-- --json] [--epochs 5] [--data DIR]
 *
 * Trains the reference CNN on the full Fashion-MNIST training set (60,000 images) for at
 * most 5 epochs and reports test accuracy on the official 10,000 test images. The
 * Fashion-MNIST benchmark table lists 2-conv nets at 87.6-92.5%; hwnas's bar is 90.5%.
 */
import { loadDataset } from '../evaluators/data/index.js';
import { buildReferenceCnn } from '../evaluators/models/reference-cnn.js';
import { trainModel } from '../evaluators/training/train.js';
import { activateBackend } from './backends.js';
import { benchArgs } from './args.js';

const values = benchArgs('npm run bench:accuracy [-- --json] [--epochs 5] [--data DIR]', {
    json: { type: 'boolean', default: false },
    epochs: { type: 'string', default: '5' },
    data: { type: 'string' },
    seed: { type: 'string', default: '1' },
  });
const epochs = Number(values.epochs);
if (!(epochs > 0 && epochs <= 5)) throw new Error(`--epochs must be in (0, 5], got ${values.epochs}`);

const backend = await activateBackend('wasm');
if ('reason' in backend) throw new Error(`wasm backend: ${backend.reason}`);
const seed = Number(values.seed);
const dataset = await loadDataset('fashion-mnist', { ...(values.data ? { dataDir: values.data } : {}), validationSize: 0, seed });
const model = buildReferenceCnn(dataset.inputShape, dataset.numClasses, seed);
console.log(`fashion-mnist from ${dataset.source}: ${dataset.train.count} train, ${dataset.test.count} test images`);
const result = trainModel(model, dataset, {
  budget: { epochs, batchSize: 64 },
  optimizer: { name: 'adam', learningRate: 2e-3 },
  schedule: { kind: 'cosine', minFactor: 0.02 },
  seed,
  keepBestWeights: false,
}, {
  onEpoch: (e) => console.log(`epoch ${e.epoch}: loss ${e.trainLoss.toFixed(4)}, train accuracy ${(100 * e.trainAccuracy).toFixed(2)}%, ${e.imagesPerSecond.toFixed(0)} img/s, ${e.seconds.toFixed(1)} s`),
});
model.dispose();
console.log(`test accuracy ${(100 * result.testAccuracy).toFixed(2)}% after ${result.epochs.length} epochs in ${result.wallSeconds.toFixed(1)} s`);
if (values.json) {
  console.log(JSON.stringify({ dataset: 'fashion-mnist', testAccuracy: Number(result.testAccuracy.toFixed(4)), epochs: result.epochs.length, seconds: Number(result.wallSeconds.toFixed(1)) }));
}
if (result.status !== 'complete') process.exitCode = 1;
