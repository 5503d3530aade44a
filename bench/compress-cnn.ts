/**
 * npm run bench:compress-cnn [-- --json] [--epochs 5] [--fine-tune 6] [--fine-tune-lr 0.001] [--data DIR] [--seed 1]
 *
 * The reference CNN on Fashion-MNIST under three single compressions, each from the same
 * trained network:
 *   - 90% magnitude pruning (uniform: every pruned layer keeps exactly 10%; the first conv
 *     and the classifier, under 1% of the weights, stay dense), fine-tuned on the
 *     polynomial schedule: bar <= 1 pt test-accuracy loss;
 *   - int8 per-channel post-training quantization (no fine-tuning): bar <= 0.5 pt;
 *   - structured pruning of 50% of the channels/units of every hidden layer (really
 *     removed), fine-tuned: each pruned layer's MACs at most half of what they were.
 */
import { formatBytes } from '../core/units.js';
import { buildModel } from '../evaluators/build-model.js';
import { referenceCnnSpec } from '../evaluators/models/reference-cnn.js';
import { compressModel, type CompressionResult } from '../evaluators/pipeline/compress-model.js';
import { trainModel } from '../evaluators/training/train.js';
import { analyzeSpec } from '../spaces/analyze.js';
import { compressionPlan } from '../spaces/compression-genes.js';
import { fashionOnWasm } from './fashion-data.js';
import { benchArgs } from './args.js';

const values = benchArgs('npm run bench:compress-cnn [-- --json] [--epochs 5] [--fine-tune 6] [--fine-tune-lr 0.001] [--data DIR] [--seed 1]', {
    json: { type: 'boolean', default: false },
    epochs: { type: 'string', default: '5' },
    'fine-tune': { type: 'string', default: '6' },
    'fine-tune-lr': { type: 'string', default: '0.001' },
    data: { type: 'string' },
    seed: { type: 'string', default: '1' },
  });
const seed = Number(values.seed), epochs = Number(values.epochs), fineTuneEpochs = Number(values['fine-tune']);
const dataset = await fashionOnWasm(values.data, seed);

const baseSpec = referenceCnnSpec(dataset.inputShape, dataset.numClasses);
const trained = buildModel(baseSpec, seed);
const training = trainModel(trained, dataset, {
  budget: { epochs, batchSize: 64 }, optimizer: { name: 'adam', learningRate: 2e-3 }, schedule: { kind: 'cosine', minFactor: 0.02 }, seed,
}, { onEpoch: (e) => console.log(`  train epoch ${e.epoch}: validation ${(100 * e.validationAccuracy).toFixed(2)}%, ${e.seconds.toFixed(0)} s`) });
const baseline = training.testAccuracy;
console.log(`reference CNN trained: ${(100 * baseline).toFixed(2)}% test accuracy\n`);

const fineTune = { epochs: fineTuneEpochs, batchSize: 64, optimizer: { name: 'adam' as const, learningRate: Number(values['fine-tune-lr']) }, schedule: { kind: 'cosine' as const, minFactor: 0.05 }, seed };
function run(genes: Record<string, number | string | boolean>, targetSpec = baseSpec, allocation: 'uniform' | 'erk' = 'uniform'): CompressionResult {
  const result = compressModel({ trained, baseSpec, prunedSpec: targetSpec, targetSpec, plan: compressionPlan(genes), data: dataset, fineTune, allocation });
  if (result.status !== 'complete') throw new Error(`compression ${result.status}: ${result.reason}`);
  return result;
}
const pt = (a: number) => `${(100 * (baseline - a)).toFixed(2)} pt`;

// Fine-tuning distills from the unpruned network (the distillation genes), which recovers more than labels alone.
const pruned = run({ 'prune.sparsity': 0.9, 'distill.alpha': 0.5, 'distill.temperature': 4 });
const density = pruned.model.layers.filter((l) => l.getWeights().length > 0).map((l) => {
  const kernel = l.getWeights()[0]!.dataSync();
  return { layer: l.name, kept: kernel.filter((v) => v !== 0).length / kernel.length };
}).filter((d) => d.kept < 1);
const prunedAccuracy = pruned.stages.at(-1)!.accuracy;
console.log(`90% magnitude pruning of the big layers: ${(100 * prunedAccuracy).toFixed(2)}% (loss ${pt(prunedAccuracy)}; one-shot before fine-tuning ${(100 * pruned.stages.at(-1)!.accuracyBeforeFineTune!).toFixed(2)}%), `
  + `kept in pruned layers ${density.map((d) => `${d.layer} ${(100 * d.kept).toFixed(2)}%`).join(', ')}, stored ${formatBytes(pruned.artifact.weightBytes)} of ${formatBytes(pruned.fp32Bytes)}`);

const int8 = run({ 'quant.bits': 8, 'quant.mode': 'ptq', 'quant.granularity': 'per-channel', 'quant.activations': 32 });
const int8Accuracy = int8.stages.at(-1)!.accuracy;
console.log(`int8 per-channel PTQ: ${(100 * int8Accuracy).toFixed(2)}% (loss ${pt(int8Accuracy)}), stored ${formatBytes(int8.artifact.weightBytes)}`);

const halfSpec = referenceCnnSpec(dataset.inputShape, dataset.numClasses, 0.5);
const half = run({ 'prune.channels': 0.5 }, halfSpec);
const macsBefore = new Map(analyzeSpec(baseSpec).map((n) => [n.name, n.macs]));
const layerMacs = analyzeSpec(halfSpec).filter((n) => n.macs > 0).map((n) => ({ layer: n.name, before: macsBefore.get(n.name)!, after: n.macs }));
const halfAccuracy = half.stages.at(-1)!.accuracy;
console.log(`50% structured pruning: ${(100 * halfAccuracy).toFixed(2)}% (loss ${pt(halfAccuracy)}), MACs ${layerMacs.map((m) => `${m.layer} ${m.before.toLocaleString('en')} -> ${m.after.toLocaleString('en')} (${(m.after / m.before).toFixed(3)})`).join(', ')}`);

const hidden = layerMacs.filter((m) => m.layer !== 'logits');
const ok = baseline - prunedAccuracy <= 0.01 && density.every((d) => Math.abs(d.kept - 0.1) < 5e-4)
  && baseline - int8Accuracy <= 0.005 && hidden.every((m) => m.after <= m.before / 2);
if (values.json) {
  console.log(JSON.stringify({ model: 'reference-cnn', baselineAccuracy: Number(baseline.toFixed(4)),
    pruned90Accuracy: Number(prunedAccuracy.toFixed(4)), keptShare: Object.fromEntries(density.map((d) => [d.layer, Number(d.kept.toFixed(4))])),
    int8Accuracy: Number(int8Accuracy.toFixed(4)), structured50Accuracy: Number(halfAccuracy.toFixed(4)),
    macsRatio: Object.fromEntries(layerMacs.map((m) => [m.layer, Number((m.after / m.before).toFixed(4))])), pass: ok }));
}
for (const r of [pruned, int8, half]) r.model.dispose();
trained.dispose();
if (!ok) process.exitCode = 1;
