/**
 * The compressed model file (`model.hwnas`): what hwnas counts as a model's stored size,
 * written for real and loadable back into an equivalent tfjs model.
 *
 *   bytes 0-3   "HWNZ"
 *   bytes 4-7   u32 format version (1)
 *   bytes 8-11  u32 length of the JSON header
 *   JSON header { spec, tensors: [{ layer, index, shape, bytes }], activations? } (the
 *               architecture; a kernel's shape is its channelShape: a depthwise kernel's
 *               last two axes merged; integer activations' bits and calibrated ranges)
 *   tensor records in header order (tensor-codec.ts: header, scales, codebook, bits)
 *
 * `weightBytes` (the sum of the tensor records) is the stored size searches optimize and
 * Deep Compression's tables compare: weights, biases and batch-norm statistics with their
 * indices, scales, codebooks and Huffman tables. The JSON architecture is reported apart.
 */
import * as tf from '@tensorflow/tfjs';
import { UserError } from '../../core/errors.js';
import type { ModelSpec } from '../../spaces/model-spec.js';
import { buildModel } from '../build-model.js';
import { channelShape } from '../compress/quantize.js';
import { decodeTensor, encodeTensor, type TensorEncoding } from '../compress/tensor-codec.js';

const MAGIC = 'HWNZ';
const VERSION = 1;
/** Relative-index widths tried for sparse tensors (Deep Compression used 4 for conv, 5 for fc). */
const INDEX_WIDTHS = [2, 3, 4, 5, 6, 8];

export interface ArtifactTensor { layer: string; index: number; shape: number[]; bytes: number }

/**
 * Integer activations the model's accuracy was measured with: their width and, per node,
 * the calibrated [min, max] a deployment quantizes that node's output to.
 */
export interface ActivationQuantization { bits: number; ranges: Record<string, [number, number]> }

export interface Artifact {
  bytes: Uint8Array;
  /** Stored size of the weights (all tensor records). */
  weightBytes: number;
  tensors: ArtifactTensor[];
}

/** How each kernel is stored; tensors without an entry (biases, batch norm) stay float32. */
export type EncodingPlan = Map<string, TensorEncoding>;

/** The weights of every layer in a fixed order: spec node order, then tfjs's weight order. */
function weightedLayers(model: tf.LayersModel, spec: ModelSpec): Array<{ name: string; className: string; weights: tf.Tensor[] }> {
  return spec.nodes.map((n) => { const layer = model.getLayer(n.name); return { name: n.name, className: layer.getClassName(), weights: layer.getWeights() }; })
    .filter((l) => l.weights.length > 0);
}

function smallestEncoding(values: Float32Array, shape: number[], encoding: TensorEncoding): Uint8Array {
  let best = encodeTensor(values, shape, { ...encoding, indexBits: 0 });
  if (encoding.indexBits === 0 || !values.some((v) => v === 0)) return best;
  for (const indexBits of INDEX_WIDTHS) {
    const candidate = encodeTensor(values, shape, { ...encoding, indexBits });
    if (candidate.length < best.length) best = candidate;
  }
  return best;
}

export function writeArtifact(model: tf.LayersModel, spec: ModelSpec, plan: EncodingPlan, activations?: ActivationQuantization): Artifact {
  const tensors: ArtifactTensor[] = [];
  const records: Uint8Array[] = [];
  for (const { name, className, weights } of weightedLayers(model, spec)) {
    weights.forEach((w, index) => {
      const values = w.dataSync() as Float32Array;
      const encoding = (index === 0 ? plan.get(name) : undefined) ?? { kind: 'float32', indexBits: 4, huffman: false };
      // A kernel is stored in the shape whose last axis is its output channels (one scale each); loading reshapes it back.
      const shape = index === 0 ? channelShape(w.shape, className) : w.shape;
      const record = smallestEncoding(values, shape, encoding);
      records.push(record);
      tensors.push({ layer: name, index, shape, bytes: record.length });
    });
  }
  const header = new TextEncoder().encode(JSON.stringify({ spec, tensors, ...(activations !== undefined ? { activations } : {}) }));
  const weightBytes = records.reduce((s, r) => s + r.length, 0);
  const bytes = new Uint8Array(12 + header.length + weightBytes);
  const view = new DataView(bytes.buffer);
  bytes.set(new TextEncoder().encode(MAGIC), 0);
  view.setUint32(4, VERSION, true);
  view.setUint32(8, header.length, true);
  bytes.set(header, 12);
  let offset = 12 + header.length;
  for (const r of records) { bytes.set(r, offset); offset += r.length; }
  return { bytes, weightBytes, tensors };
}

export interface LoadedArtifact { model: tf.LayersModel; spec: ModelSpec; tensors: ArtifactTensor[]; weightBytes: number; activations?: ActivationQuantization }

export function readArtifact(bytes: Uint8Array, source = 'artifact'): LoadedArtifact {
  // A damaged file is the user's problem to fix (rewrite or retrain it), not a bug: every failure is a UserError.
  const damaged = (what: string) => new UserError(`${source} ${what}`, 'write it again; hwnas export --retrain rebuilds a trial\'s model from its genotype');
  if (bytes.length < 12 || new TextDecoder().decode(bytes.subarray(0, 4)) !== MAGIC) throw damaged('is not an hwnas compressed model (no HWNZ signature)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(4, true);
  if (version !== VERSION) throw new UserError(`${source} has format version ${version}; this hwnas reads version ${VERSION}`, 'upgrade hwnas');
  const headerLength = view.getUint32(8, true);
  if (12 + headerLength > bytes.length) throw damaged('is truncated (header runs past the end)');
  let header: { spec: ModelSpec; tensors: ArtifactTensor[]; activations?: ActivationQuantization };
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + headerLength))) as typeof header;
  } catch {
    throw damaged('has a corrupt JSON header');
  }
  let model: tf.LayersModel | undefined;
  const byLayer = new Map<string, tf.Tensor[]>();
  try {
    model = buildModel(header.spec, 0);
    let offset = 12 + headerLength;
    for (const t of header.tensors) {
      const decoded = decodeTensor(bytes, offset, t.shape);
      offset += decoded.bytesRead;
      // The stored shape may merge a depthwise kernel's last two axes (channelShape): the layer's own is the one to load.
      const shape = (model.getLayer(t.layer).weights[t.index]?.shape as number[] | undefined) ?? t.shape;
      byLayer.set(t.layer, [...(byLayer.get(t.layer) ?? []), tf.tensor(decoded.values, shape)]);
    }
    for (const [layer, weights] of byLayer) model.getLayer(layer).setWeights(weights);
  } catch (error) {
    model?.dispose();
    throw damaged(`is corrupt: ${(error as Error).message}`);
  } finally {
    for (const weights of byLayer.values()) tf.dispose(weights);
  }
  return { model, spec: header.spec, tensors: header.tensors, weightBytes: bytes.length - 12 - headerLength, ...(header.activations !== undefined ? { activations: header.activations } : {}) };
}
