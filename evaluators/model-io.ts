/**
 * Saving and loading tfjs layers models as a directory of `model.json` + `weights.bin`,
 * the format `tf.loadLayersModel` reads (tfjs-node's `file://` handler writes the same);
 * @tensorflow/tfjs alone has no filesystem handler, so hwnas brings this one.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { makeOutputDir, writeOutputFile } from '../core/output-file.js';

/** Writes `model` into `dir`; `flag` names the option that chose `dir`, for a one-line error when it cannot be written. */
export async function saveModelToDir(model: tf.LayersModel, dir: string, flag = '--out'): Promise<{ modelJson: string; weightsBytes: number }> {
  makeOutputDir(dir, flag);
  let weightsBytes = 0;
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    const weights = artifacts.weightData === undefined ? new Uint8Array(0)
      : new Uint8Array(tf.io.concatenateArrayBuffers(Array.isArray(artifacts.weightData) ? artifacts.weightData : [artifacts.weightData]));
    weightsBytes = weights.byteLength;
    writeOutputFile(join(dir, 'weights.bin'), weights, flag);
    const modelJson = {
      modelTopology: artifacts.modelTopology,
      format: 'layers-model',
      generatedBy: `hwnas with TensorFlow.js ${tf.version.tfjs}`,
      convertedBy: null,
      weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs ?? [] }],
    };
    writeOutputFile(join(dir, 'model.json'), JSON.stringify(modelJson), flag);
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: weightsBytes } };
  }));
  return { modelJson: join(dir, 'model.json'), weightsBytes };
}

export async function loadModelFromDir(dir: string): Promise<tf.LayersModel> {
  const modelJson = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as {
    modelTopology: object; weightsManifest: Array<{ paths: string[]; weights: tf.io.WeightsManifestEntry[] }>;
  };
  const specs = modelJson.weightsManifest.flatMap((g) => g.weights);
  const buffers = modelJson.weightsManifest.flatMap((g) => g.paths.map((p) => readFileSync(join(dir, p))));
  const weightData = tf.io.concatenateArrayBuffers(buffers.map((b) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength)));
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: modelJson.modelTopology, weightSpecs: specs, weightData }));
}
