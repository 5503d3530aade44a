/** The wasm backend and Fashion-MNIST, as the compression benchmarks start. */
import type { Dataset } from '../evaluators/data/dataset.js';
import { loadDataset } from '../evaluators/data/index.js';
import { activateBackend } from './backends.js';

export async function fashionOnWasm(dataDir: string | undefined, seed: number): Promise<Dataset> {
  const backend = await activateBackend('wasm');
  if ('reason' in backend) throw new Error(`wasm backend: ${backend.reason}`);
  const dataset = await loadDataset('fashion-mnist', { ...(dataDir ? { dataDir } : {}), seed });
  console.log(`fashion-mnist from ${dataset.source}: ${dataset.train.count} train, ${dataset.validation.count} validation, ${dataset.test.count} test images`);
  return dataset;
}
