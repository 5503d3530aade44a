/**
 * npm run bench:train [-- --json] [--backends wasm,cpu,tensorflow] [--seconds 6] [--model mobile-cnn]
 *
 * Training and inference speed of the reference CNN (conv3x3/16-relu-maxpool-conv3x3/32-
 * relu-maxpool-dense64-relu-dense10 on 28x28x1, 'same' padding, batch 64, Adam) on one
 * thread, for every backend that loads here. `--model mobile-cnn` measures the slowest
 * mobile-cnn genotype instead (expansion-6 MBConv blocks with batch norm and relu6 at the
 * full 28x28 resolution): what bounds an overnight search's trial time. Inputs are random: speed does not depend on
 * the pixel values. GFLOP/s counts 2 FLOPs per MAC and a training step as 3 forward
 * passes (forward, input gradient, weight gradient).
 */
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { buildModel } from '../evaluators/build-model.js';
import { buildReferenceCnn, referenceCnnMacs } from '../evaluators/models/reference-cnn.js';
import { analyzeSpec, specTotals } from '../spaces/analyze.js';
import { getBuiltinSpace } from '../spaces/registry.js';
import type { Genotype } from '../spaces/space.js';
import { activateBackend, type BenchBackend } from './backends.js';
import { benchArgs } from './args.js';

const values = benchArgs('npm run bench:train [-- --json] [--backends wasm,cpu,tensorflow] [--seconds 6] [--model mobile-cnn]', {
    json: { type: 'boolean', default: false },
    backends: { type: 'string', default: 'tensorflow,wasm,cpu' },
    seconds: { type: 'string', default: '6' },
    batch: { type: 'string', default: '64' },
    peer: { type: 'boolean', default: true },
    'no-peer': { type: 'boolean', default: false },
    model: { type: 'string', default: 'reference' },
  });
if (values.model !== 'reference' && values.model !== 'mobile-cnn') {
  console.error(`bench:train: --model must be reference or mobile-cnn, got '${values.model}'`);
  process.exit(2);
}
const seconds = Number(values.seconds);
const batch = Number(values.batch);
const shape = [28, 28, 1] as const;

/** mobile-cnn's slowest corner: expansion-6 MBConv stages at full resolution, uncompressed. */
const LARGEST_MOBILE_CNN: Genotype = {'activation': 'relu6', 'cluster.k': 0, 'distill.alpha': 0, 'encode.huffman': false, 'head.filters': 0, 'lowrank.rank': 1, 'prune.channels': 0, 'prune.sparsity': 0, 'quant.bits': 32, 'stage0.bits': 'model', 'stage0.block': 'mbconv', 'stage0.depth': 2, 'stage0.expansion': 6, 'stage0.kernel': 3, 'stage0.se': false, 'stage1.bits': 'model', 'stage1.block': 'mbconv', 'stage1.depth': 2, 'stage1.expansion': 6, 'stage1.kernel': 3, 'stage1.se': false, 'stage2.bits': 'model', 'stage2.block': 'separable', 'stage2.depth': 1, 'stage2.kernel': 3, 'stage2.se': false, 'stage3.bits': 'model', 'stage3.block': 'separable', 'stage3.depth': 1, 'stage3.kernel': 3, 'stage3.se': false, 'stem.stride': 1, 'strides': '1-2-2-1', 'width': 1};

const mobileSpec = () => getBuiltinSpace('mobile-cnn').toSpec(LARGEST_MOBILE_CNN, { inputShape: [...shape], numClasses: 10 });
const network = values.model === 'reference'
  ? { build: () => buildReferenceCnn(shape, 10, 1), macs: referenceCnnMacs(shape, 10), label: 'reference CNN' }
  : { build: () => buildModel(mobileSpec(), 1), macs: specTotals(analyzeSpec(mobileSpec())).macs, label: 'largest mobile-cnn (expansion-6 MBConv at 28x28)' };

interface Row { backend: string; trainImgPerSec: number; inferImgPerSec: number; gflops: number; steps: number }

/** Runs `step` repeatedly for about `budgetSeconds` (at least `minSteps` times); returns steps per second. */
function rate(step: () => void, budgetSeconds: number, minSteps: number): { perSecond: number; steps: number } {
  const start = performance.now();
  let steps = 0;
  while (steps < minSteps || (performance.now() - start) / 1000 < budgetSeconds) {
    step();
    steps++;
  }
  return { perSecond: steps / ((performance.now() - start) / 1000), steps };
}

function measure(backend: BenchBackend): Row {
  const model = network.build();
  const optimizer = tf.train.adam(1e-3);
  const x = tf.randomUniform([batch, ...shape]);
  const y = tf.oneHot(tf.randomUniform([batch], 0, 10, 'int32'), 10);
  const trainStep = () => {
    const loss = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar, true)!;
    loss.dataSync();
    loss.dispose();
  };
  const inferStep = () => tf.tidy(() => (model.predict(x) as tf.Tensor).dataSync());
  // The pure-JS cpu backend takes seconds per step: a short, clearly labelled sample.
  const budget = backend.slow ? Math.min(seconds, 3) : seconds;
  const warmup = backend.slow ? 1 : 5;
  for (let i = 0; i < warmup; i++) { trainStep(); inferStep(); }
  const train = rate(trainStep, budget, backend.slow ? 1 : 10);
  const infer = rate(inferStep, budget / 2, backend.slow ? 1 : 10);
  tf.dispose([x, y]);
  optimizer.dispose();
  model.dispose();
  const trainImgPerSec = train.perSecond * batch;
  const flopsPerImage = 3 * 2 * network.macs;
  return { backend: backend.name, trainImgPerSec, inferImgPerSec: infer.perSecond * batch, gflops: trainImgPerSec * flopsPerImage / 1e9, steps: train.steps };
}

const rows: Row[] = [];
const skipped: Array<{ backend: string; reason: string }> = [];
for (const name of values.backends.split(',').map((s) => s.trim()).filter(Boolean)) {
  const backend = await activateBackend(name);
  if ('reason' in backend) { skipped.push({ backend: name, reason: backend.reason }); continue; }
  rows.push(measure(backend));
}

// The peer: the same network in PyTorch on one thread, when Debian's python3-torch is here.
if (values.peer && !values['no-peer'] && values.model === 'reference') {
  const script = fileURLToPath(new URL('../../bench/peers/torch_reference_cnn.py', import.meta.url));
  // Debian's python3-torch lives under /usr/bin/python3, which a pyenv python3 may shadow.
  let line: string | undefined;
  for (const python of ['python3', '/usr/bin/python3']) {
    const peer = spawnSync(python, [script, String(seconds), String(batch)], { encoding: 'utf8' });
    if (peer.status === 0) { line = peer.stdout.trim().split('\n').pop(); break; }
  }
  if (line !== undefined) {
    const r = JSON.parse(line) as { backend: string; trainImgPerSec: number; inferImgPerSec: number };
    rows.push({ ...r, gflops: r.trainImgPerSec * 3 * 2 * referenceCnnMacs(shape, 10) / 1e9, steps: 0 });
  } else {
    skipped.push({ backend: 'pytorch (peer)', reason: 'python3 with torch not found (apt-get install python3-torch)' });
  }
}

console.log(`${network.label}, batch ${batch}, Adam, one thread (${(network.macs / 1e6).toFixed(2)} MMAC forward per image)`);
console.log('backend       train img/s   infer img/s   train GFLOP/s');
for (const r of rows) {
  console.log(`${r.backend.padEnd(12)} ${r.trainImgPerSec.toFixed(0).padStart(12)} ${r.inferImgPerSec.toFixed(0).padStart(13)} ${r.gflops.toFixed(2).padStart(15)}`);
}
for (const s of skipped) console.log(`${s.backend.padEnd(12)} skipped: ${s.reason}`);
if (values.json) {
  console.log(JSON.stringify({ model: values.model, results: rows.map(({ steps: _steps, ...r }) => ({ ...r, trainImgPerSec: Math.round(r.trainImgPerSec), inferImgPerSec: Math.round(r.inferImgPerSec), gflops: Number(r.gflops.toFixed(2)) })), skipped }));
}
