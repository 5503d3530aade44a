/**
 * npm run bench:train [-- --json] [--backends wasm,cpu,tensorflow] [--seconds 6]
 *
 * Training and inference speed of the reference CNN (conv3x3/16-relu-maxpool-conv3x3/32-
 * relu-maxpool-dense64-relu-dense10 on 28x28x1, 'same' padding, batch 64, Adam) on one
 * thread, for every backend that loads here. Inputs are random: speed does not depend on
 * the pixel values. GFLOP/s counts 2 FLOPs per MAC and a training step as 3 forward
 * passes (forward, input gradient, weight gradient).
 */
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildReferenceCnn, referenceCnnMacs } from '../evaluators/models/reference-cnn.js';
import { activateBackend, type BenchBackend } from './backends.js';

const { values } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    backends: { type: 'string', default: 'tensorflow,wasm,cpu' },
    seconds: { type: 'string', default: '6' },
    batch: { type: 'string', default: '64' },
    peer: { type: 'boolean', default: true },
    'no-peer': { type: 'boolean', default: false },
  },
});
const seconds = Number(values.seconds);
const batch = Number(values.batch);
const shape = [28, 28, 1] as const;

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
  const model = buildReferenceCnn(shape, 10, 1);
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
  const flopsPerImage = 3 * 2 * referenceCnnMacs(shape, 10);
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
if (values.peer && !values['no-peer']) {
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

console.log(`reference CNN, batch ${batch}, Adam, one thread (${referenceCnnMacs(shape, 10) / 1e6} MMAC forward per image)`);
console.log('backend       train img/s   infer img/s   train GFLOP/s');
for (const r of rows) {
  console.log(`${r.backend.padEnd(12)} ${r.trainImgPerSec.toFixed(0).padStart(12)} ${r.inferImgPerSec.toFixed(0).padStart(13)} ${r.gflops.toFixed(2).padStart(15)}`);
}
for (const s of skipped) console.log(`${s.backend.padEnd(12)} skipped: ${s.reason}`);
if (values.json) {
  console.log(JSON.stringify({ results: rows.map(({ steps: _steps, ...r }) => ({ ...r, trainImgPerSec: Math.round(r.trainImgPerSec), inferImgPerSec: Math.round(r.inferImgPerSec), gflops: Number(r.gflops.toFixed(2)) })), skipped }));
}
