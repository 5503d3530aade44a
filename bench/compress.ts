/**
 * npm run bench:compress [-- --json] [--epochs 8] [--fine-tune 8] [--sparsity 0.9] [--clusters 16] [--data DIR] [--seed 1]
 *
 * Deep Compression (Han et al. 2016) on LeNet-300-100: the paper takes it from 1070 KB to
 * 27 KB (40x) on MNIST with no accuracy loss. This trains LeNet-300-100 on Fashion-MNIST,
 * runs hwnas's pipeline (magnitude pruning with fine-tuning, k-means weight sharing with
 * centroid fine-tuning, Huffman coding), writes the artifact, reloads it and checks the
 * reloaded model's test accuracy. Bar: >= 35x smaller, <= 0.5 pt test-accuracy loss.
 */
import { formatBytes } from '../core/units.js';
import { readArtifact } from '../evaluators/artifact/artifact.js';
import { buildModel } from '../evaluators/build-model.js';
import { compressModel } from '../evaluators/pipeline/compress-model.js';
import { evaluateSplit } from '../evaluators/training/evaluate.js';
import { trainModel } from '../evaluators/training/train.js';
import { compressionPlan, structuralStages } from '../spaces/compression-genes.js';
import { getBuiltinSpace } from '../spaces/registry.js';
import { fashionOnWasm } from './fashion-data.js';
import { benchArgs } from './args.js';

const values = benchArgs('npm run bench:compress [-- --json] [--epochs 8] [--fine-tune 8] [--sparsity 0.9] [--clusters 16] [--data DIR] [--seed 1]', {
    json: { type: 'boolean', default: false },
    epochs: { type: 'string', default: '8' },
    'fine-tune': { type: 'string', default: '8' },
    sparsity: { type: 'string', default: '0.9' },
    clusters: { type: 'string', default: '16' },
    data: { type: 'string' },
    seed: { type: 'string', default: '1' },
  });
const seed = Number(values.seed), epochs = Number(values.epochs), fineTuneEpochs = Number(values['fine-tune']);
const dataset = await fashionOnWasm(values.data, seed);

const space = getBuiltinSpace('mlp');
const genotype = { ...space.presets!['lenet-300-100']!, 'prune.sparsity': Number(values.sparsity), 'cluster.k': Number(values.clusters), 'encode.huffman': true };
const { base, pruned } = structuralStages(genotype);
const baseSpec = space.toSpec(base, dataset);
const model = buildModel(baseSpec, seed);
const started = performance.now();
const trained = trainModel(model, dataset, {
  budget: { epochs, batchSize: 64 }, optimizer: { name: 'adam', learningRate: 1e-3 }, schedule: { kind: 'cosine', minFactor: 0.05 }, seed,
}, { onEpoch: (e) => console.log(`  train epoch ${e.epoch}: validation ${(100 * e.validationAccuracy).toFixed(2)}%`) });
console.log(`trained LeNet-300-100 in ${((performance.now() - started) / 1000).toFixed(1)} s: ${(100 * trained.testAccuracy).toFixed(2)}% test accuracy`);

const result = compressModel({
  trained: model, baseSpec, prunedSpec: space.toSpec(pruned, dataset), targetSpec: space.toSpec(genotype, dataset),
  plan: compressionPlan(genotype), data: dataset,
  fineTune: { epochs: fineTuneEpochs, batchSize: 64, optimizer: { name: 'adam', learningRate: 5e-4 }, schedule: { kind: 'cosine', minFactor: 0.05 }, seed },
});
if (result.status !== 'complete') throw new Error(`compression ${result.status}: ${result.reason}`);

const reloaded = readArtifact(result.artifact.bytes, 'bench artifact');
const reloadedAccuracy = evaluateSplit(reloaded.model, dataset.test, dataset.inputShape, dataset.numClasses).accuracy;
const fp32Bytes = result.fp32Bytes, storedBytes = result.artifact.weightBytes;
const baselineAccuracy = result.stages[0]!.accuracy;

const rows = result.stages.map((s) => [s.stage, s.detail, formatBytes(s.storedBytes), `${(fp32Bytes / s.storedBytes).toFixed(1)}x`,
  `${(100 * s.accuracy).toFixed(2)}%`, s.accuracyBeforeFineTune === undefined ? '' : `${(100 * s.accuracyBeforeFineTune).toFixed(2)}%`,
  s.nonzeros.toLocaleString('en'), `${s.seconds.toFixed(1)} s`]);
const header = ['stage', 'what', 'stored', 'ratio', 'test acc', 'before FT', 'nonzeros', 'time'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
for (const r of [header, ...rows]) console.log(r.map((c, i) => (i === 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
console.log(`fp32 ${formatBytes(fp32Bytes)} -> ${formatBytes(storedBytes)} stored (${(fp32Bytes / storedBytes).toFixed(1)}x), `
  + `artifact file ${formatBytes(result.artifact.bytes.length)}; reloaded from the artifact: ${(100 * reloadedAccuracy).toFixed(2)}% test accuracy `
  + `(${(100 * (baselineAccuracy - reloadedAccuracy)).toFixed(2)} pt loss)`);
if (values.json) {
  console.log(JSON.stringify({ model: 'lenet-300-100', fp32Bytes, storedBytes, ratio: Number((fp32Bytes / storedBytes).toFixed(2)),
    baselineAccuracy: Number(baselineAccuracy.toFixed(4)), compressedAccuracy: Number(reloadedAccuracy.toFixed(4)) }));
}
for (const m of [reloaded.model, result.model, model]) m.dispose();
if (fp32Bytes / storedBytes < 35 || baselineAccuracy - reloadedAccuracy > 0.005) process.exitCode = 1;
