/**
 * Identity and Cast on wasm. While a gradient is recorded, tfjs's engine clones every
 * tensor a kernel keeps for its backward pass (saveTensorsForBackwardMode). The cpu
 * backend's clone shares the data; wasm's copies it, and on mobile-cnn's 28x28 stages
 * those copies were a tenth of each training step. Tensors are immutable and the wasm
 * backend counts references to a buffer (its own Reshape shares the same way), so a
 * clone, or a cast to the dtype a tensor already has, shares the buffer here.
 */
import type { Info, KernelCalls } from './kernel-calls.js';

export function shareBuffer(calls: KernelCalls, x: Info): Info | null {
  // Strings live outside the wasm heap: the backend's own kernel handles them.
  if (x.dtype === 'string') return null;
  calls.backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

export function castTensor(calls: KernelCalls, x: Info, dtype: string): Info | null {
  if (dtype === x.dtype) return shareBuffer(calls, x);
  if (dtype === 'bool' && x.dtype !== 'string') {
    // The backend's Cast copies values as they are, so 7 became a bool holding 7; tfjs's cpu backend gives true (x != 0).
    const out = calls.backend.makeOutput(x.shape, 'bool');
    const src = calls.backend.typedArrayFromHeap(x), dst = calls.backend.typedArrayFromHeap(out);
    for (let i = 0; i < src.length; i++) dst[i] = src[i] !== 0 ? 1 : 0;
    return out;
  }
  return null;
}
