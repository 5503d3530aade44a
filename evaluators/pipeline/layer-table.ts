/**
 * The per-layer table of a compressed model as it really is: nonzeros counted in its
 * weights, bits from how each kernel is stored, bytes from the written artifact.
 */
import type * as tf from '@tensorflow/tfjs';
import type { ModelSpec } from '../../spaces/model-spec.js';
import { summarizeSpec, type LayerRow } from '../../spaces/summary.js';
import type { Artifact, EncodingPlan } from '../artifact/artifact.js';
import type { TensorEncoding } from '../compress/tensor-codec.js';

const bitsOf = (encoding: TensorEncoding | undefined): number => {
  switch (encoding?.kind) {
    case undefined: case 'float32': return 32;
    case 'float16': return 16;
    case 'int': return encoding.bits ?? 8;
    case 'codebook': return Math.max(1, Math.ceil(Math.log2(encoding.codebook?.length ?? 2)));
  }
};

export function measuredLayers(model: tf.LayersModel, spec: ModelSpec, artifact: Artifact, encodings: EncodingPlan): LayerRow[] {
  const bytesByLayer = new Map<string, number>();
  for (const t of artifact.tensors) bytesByLayer.set(t.layer, (bytesByLayer.get(t.layer) ?? 0) + t.bytes);
  return summarizeSpec(spec).map((row) => {
    const weights = model.getLayer(row.name).getWeights();
    let nonzeros = 0, kernelNonzeros = 0, kernelSize = 0;
    weights.forEach((w, i) => {
      const values = w.dataSync();
      let count = 0;
      for (let k = 0; k < values.length; k++) if (values[k] !== 0) count++;
      nonzeros += count;
      if (i === 0) { kernelNonzeros = count; kernelSize = values.length; }
    });
    return {
      ...row, nonzeros, bits: bitsOf(encodings.get(row.name)),
      effectiveMacs: kernelSize > 0 ? Math.round(row.macs * kernelNonzeros / kernelSize) : row.macs,
      bytes: bytesByLayer.get(row.name) ?? row.bytes,
    };
  });
}
