/** Reads a measurements CSV for `hwnas profile calibrate|validate`, turning each arch into a spec. */
import { existsSync, statSync } from 'node:fs';
import { UserError } from '../../core/errors.js';
import type { Json } from '../../core/json.js';
import { readUserText } from '../../core/text-file.js';
import { parseMeasurementsCsv, type MeasuredRow } from '../../hardware-profiles/measurements-csv.js';
import { costSpecOf } from '../../spaces/builtin.js';
import { requireDatasetShape } from '../../spaces/dataset-shapes.js';
import { fromArchString } from '../../spaces/nb201.js';
import { resolveSpace } from '../../spaces/space-file.js';
import { genotypeHash } from '../../spaces/operators.js';
import { checkGenotype } from '../../spaces/validate.js';
import type { Genotype } from '../../spaces/space.js';

export function readMeasurements(file: string, spaceName: string, dataset: string): MeasuredRow[] {
  const shape = requireDatasetShape(dataset, ' (it sets the input shape)');
  if (!existsSync(file)) throw new UserError(`no measurements file ${file}`, 'a CSV with the header arch,latency_ms');
  if (statSync(file).isDirectory()) throw new UserError(`${file} is a directory, not a measurements file`, 'a CSV with the header arch,latency_ms');
  const space = resolveSpace(spaceName);
  const specOf = (arch: string) => {
    const genotype = arch.startsWith('|') ? fromArchString(arch) : JSON.parse(arch) as Json;
    const problem = checkGenotype(space.definition, genotype as Genotype);
    if (problem !== null) throw new Error(problem);
    return { spec: costSpecOf(space, genotype as Genotype, shape), key: genotypeHash(genotype as Genotype) };
  };
  try {
    return parseMeasurementsCsv(readUserText(file), file, specOf);
  } catch (error) {
    throw new UserError((error as Error).message, 'fix that line; the header is arch,latency_ms[,energy_mJ]');
  }
}
