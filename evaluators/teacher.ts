/**
 * The distillation teacher (`--teacher DIR`): a tfjs layers model that must take the
 * dataset's images and give one logit per class. Checked once, by the CLI, before a run
 * starts: a broken teacher would otherwise fail every distilling trial after training it.
 */
import type * as tf from '@tensorflow/tfjs';
import { errorMessage, UserError } from '../core/errors.js';
import { resolveBackend } from './backend.js';
import { loadModelFromDir } from './model-io.js';

/** What makes `teacher` unusable for this dataset, or null. */
export function teacherProblem(teacher: tf.LayersModel, inputShape: readonly number[], numClasses: number): string | null {
  const input = JSON.stringify(teacher.inputs[0]!.shape), wanted = JSON.stringify([null, ...inputShape]);
  if (input !== wanted) return `takes input ${input}, the dataset gives ${wanted}`;
  const output = JSON.stringify(teacher.outputs[0]!.shape);
  if (output !== JSON.stringify([null, numClasses])) return `gives output ${output}, the dataset has ${numClasses} classes ([null,${numClasses}])`;
  // Soft targets are softmax(logits / T): a teacher that already applies softmax gives near-uniform ones.
  const last = teacher.layers.at(-1)!;
  const activation = (last.getConfig() as { activation?: unknown }).activation;
  if (activation === 'softmax' || last.getClassName() === 'Softmax') return `ends in a softmax (layer ${last.name}): distillation needs its logits`;
  return null;
}

/** Loads and checks the teacher in DIR; any problem is a UserError naming the directory. */
export async function checkTeacherModel(dir: string, inputShape: readonly number[], numClasses: number, backend?: string): Promise<void> {
  // The backend the workers will use (tfjs would otherwise pick its pure-JS one, with a banner).
  await resolveBackend(backend === undefined ? {} : { backend });
  const hint = 'point --teacher at a tfjs layers model of this dataset that outputs logits, e.g. one written by hwnas export';
  let teacher: tf.LayersModel;
  try {
    teacher = await loadModelFromDir(dir);
  } catch (error) {
    throw new UserError(`--teacher ${dir}: cannot load its model.json: ${errorMessage(error).split('\n')[0]}`, hint);
  }
  try {
    const problem = teacherProblem(teacher, inputShape, numClasses);
    if (problem !== null) throw new UserError(`--teacher ${dir} ${problem}`, hint);
  } finally {
    teacher.dispose();
  }
}
