/** report.md for an exported trial: what the model is, how good, how big, how costly, how to load it. */
import { formatBytes } from '../../core/units.js';
import type { StageReport } from '../../evaluators/pipeline/compress-model.js';
import type { ModelSpec } from '../../spaces/model-spec.js';
import type { ExportSource } from './export-trial.js';

const pct = (x: number | null | undefined) => (x === null || x === undefined || Number.isNaN(x) ? '-' : `${(100 * x).toFixed(2)}%`);
const table = (header: string[], rows: string[][]) =>
  [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');

export function exportReport(source: ExportSource, spec: ModelSpec, weightBytes: number, fileBytes: number): string {
  const { run, trial, metrics: m, costs } = source;
  const fidelity = trial.fidelity as { epochs?: number; trainFraction?: number };
  const stages = (m.stages ?? []) as StageReport[];
  // With integer activations the headline accuracy is the fake-quantized one; the file holds the weights, the ranges travel beside it.
  const activations = stages.findIndex((s) => s.stage === 'activations');
  const accuracyRows = activations < 0 ? [['test accuracy (as stored)', pct(m.accuracy)]] : [
    [`test accuracy (weights as stored, ${stages[activations]!.detail.split(',')[0]}${m.activations !== undefined ? ': ranges in activation-ranges.json' : ''})`, pct(m.accuracy)],
    ['test accuracy (weights as stored, float32 activations)', pct(stages[activations - 1]?.accuracy)],
  ];
  const lines = [
    `# ${run.name}, trial ${trial.number}`,
    '',
    `${spec.name} for ${run.dataset} (input ${spec.inputShape.join('x')}, ${spec.numClasses} classes), from run \`${run.name}\` `
      + `(${run.strategy} search of \`${run.space}\`, seed ${run.seed}).${source.retrained ? ' Retrained at full fidelity for export.' : ` Trained for ${fidelity.epochs} epoch${fidelity.epochs === 1 ? '' : 's'} on ${pct(fidelity.trainFraction ?? 1)} of the training set.`}`,
    '',
    '## Quality and size',
    '',
    table(['metric', 'value'], [
      ...accuracyRows,
      ['validation accuracy', pct(m.valAccuracy)],
      ['test accuracy before compression', pct(m.baselineAccuracy)],
      ['parameters', m.params.toLocaleString('en')],
      ['nonzero weights', m.nonzeros.toLocaleString('en')],
      ['MACs per image (dense / nonzero)', `${m.macs.toLocaleString('en')} / ${m.effectiveMacs.toLocaleString('en')}`],
      ['float32 size of the uncompressed network', formatBytes(m.fp32Bytes)],
      ['stored weights (model.hwnas, without its JSON header)', `${formatBytes(weightBytes)}${m.fp32Bytes > 0 ? ` (${(m.fp32Bytes / weightBytes).toFixed(1)}x smaller)` : ''}`],
      ['model.hwnas file', formatBytes(fileBytes)],
    ]),
    '',
  ];
  if (costs.length > 0) {
    lines.push('## Hardware cost', '', table(['profile', 'latency', 'energy', 'peak memory', 'within budgets'], costs.map((c) => [
      c.profile, c.latencyMs === null ? '-' : `${c.latencyMs.toFixed(3)} ms`, c.energyMj === null ? '-' : `${c.energyMj.toPrecision(3)} mJ`,
      c.peakMemoryBytes === null ? '-' : formatBytes(c.peakMemoryBytes), c.feasible ? 'yes' : 'no',
    ])), '');
  }
  if (stages.length > 0) {
    lines.push('## Compression stages', '', table(['stage', 'what', 'test accuracy', 'before fine-tuning', 'nonzeros', 'stored'], stages.map((s) => [
      s.stage, s.detail, pct(s.accuracy), pct(s.accuracyBeforeFineTune), s.nonzeros.toLocaleString('en'), formatBytes(s.storedBytes),
    ])), '');
  }
  if (m.layers !== undefined && m.layers.length > 0) {
    lines.push('## Layers', '', table(['layer', 'kind', 'weights', 'output', 'MACs', 'nonzero MACs', 'params', 'nonzeros', 'bits', 'bytes'], m.layers.map((l) => [
      l.name, l.kind, l.weightShape.join('x'), l.outputShape.join('x'), l.macs.toLocaleString('en'), l.effectiveMacs.toLocaleString('en'),
      l.params.toLocaleString('en'), l.nonzeros.toLocaleString('en'), String(l.bits), l.bytes.toLocaleString('en'),
    ])), '');
  }
  lines.push('## Genotype', '', table(['gene', 'value'], Object.entries(trial.genotype).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, JSON.stringify(v)])), '');
  lines.push('## Files', '',
    '- `model.json`, `weights.bin`: a standard tfjs layers model holding the compressed weights (zeros, shared and quantized values as float32).',
    '- `model.hwnas`: the compressed file whose size is reported above; `hwnas` reads it back bit-exactly.',
    '- `genotype.json`: the architecture and compression genes.',
    ...(m.activations !== undefined ? [`- \`activation-ranges.json\`: int${m.activations.bits} activations: each layer output's calibrated [min, max], to quantize activations as the reported accuracy does.`] : []),
    '',
    'Load it with TensorFlow.js: in a browser `tf.loadLayersModel(\'https://.../model.json\')`; in Node with',
    '`@tensorflow/tfjs-node`, `tf.loadLayersModel(\'file://./model.json\')`; with plain `@tensorflow/tfjs` in Node,',
    'which has no file:// loader, from memory:',
    '',
    '```js',
    "import * as tf from '@tensorflow/tfjs';",
    "import { readFileSync } from 'node:fs';",
    "const { modelTopology, weightsManifest } = JSON.parse(readFileSync('./model.json', 'utf8'));",
    "const weights = readFileSync('./weights.bin');",
    'const model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology, weightSpecs: weightsManifest[0].weights,',
    '  weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) }));',
    `const logits = model.predict(tf.zeros([1, ${spec.inputShape.join(', ')}]));  // pixels scaled to [0, 1]`,
    '```', '');
  return lines.join('\n');
}
