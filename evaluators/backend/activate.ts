/**
 * Makes a registered tfjs backend the active one and turns tfjs's silent failure into an
 * error with a reason.
 */
import * as tf from '@tensorflow/tfjs';
import { firstLine } from '../../core/format.js';

/**
 * `tf.setBackend` returns false on a failed initialisation and only console.warns the
 * cause (with a stack). Warnings are held while it runs: on failure the cause becomes the
 * thrown error's message; on success they are passed on unchanged.
 */
export async function activateBackend(name: string): Promise<void> {
  const held: unknown[][] = [];
  const warn = console.warn;
  // tfjs reports the cause only through its warn(), which PROD mode (set by the loaders
  // to silence tfjs's banners) mutes: unmute it while the backend initialises.
  const prod = tf.env().getBool('PROD');
  tf.env().set('PROD', false);
  console.warn = (...args: unknown[]) => {
    held.push(args);
  };
  let ok: boolean;
  try {
    ok = await tf.setBackend(name);
  } finally {
    console.warn = warn;
    tf.env().set('PROD', prod);
  }
  if (!ok) {
    // tfjs warns "Initialization of backend X failed" and then the error's stack.
    const cause = held[1]?.map(String).join(' ') ?? held[0]?.map(String).join(' ') ?? '';
    throw new Error(`initialisation failed: ${firstLine(cause) || `tf.setBackend('${name}') returned false`}`);
  }
  for (const args of held) warn(...args);
  await tf.ready();
  if (tf.getBackend() !== name) throw new Error(`tfjs kept backend '${tf.getBackend()}' instead of '${name}'`);
}
