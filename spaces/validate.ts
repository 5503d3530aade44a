/**
 * Checks a space definition and genotypes against it. Checks return a message naming the
 * offending key (`params.stage2.kernel.values: ...`) instead of throwing; the edge that
 * reads a file or a flag turns it into a UserError.
 */
import { isJsonObject, type Json } from '../core/json.js';
import { gridValue, isActive, sameJson, type Genotype, type Param, type SpaceDefinition } from './space.js';

const PARAM_KEYS: Record<Param['type'], string[]> = {
  categorical: ['type', 'values', 'when', 'description'],
  int: ['type', 'low', 'high', 'step', 'log', 'when', 'description'],
  float: ['type', 'low', 'high', 'step', 'log', 'when', 'description'],
};

/** Problems with a space definition (empty when it is valid). */
/** The most steps a stepped range may have. */
const MAX_GRID_VALUES = 100_000;

export function checkSpaceDefinition(raw: unknown): string[] {
  const problems: string[] = [];
  if (!isJsonObject(raw as Json)) return ['space: expected a JSON object with "name" and "params"'];
  const def = raw as Record<string, unknown>;
  for (const key of Object.keys(def)) if (!['name', 'description', 'params'].includes(key)) problems.push(`${key}: unknown key (expected name, description, params)`);
  if (typeof def.name !== 'string' || def.name.length === 0) problems.push('name: expected a non-empty string');
  if (!isJsonObject(def.params as Json) || Object.keys(def.params as object).length === 0) {
    problems.push('params: expected an object with at least one parameter');
    return problems;
  }
  const seen: string[] = [];
  for (const [name, p] of Object.entries(def.params as Record<string, unknown>)) {
    const at = `params.${name}`;
    if (!isJsonObject(p as Json)) { problems.push(`${at}: expected an object with a "type"`); seen.push(name); continue; }
    const param = p as Record<string, unknown>;
    const type = param.type as Param['type'];
    // Own keys only: "toString" is `in` every object.
    if (!Object.hasOwn(PARAM_KEYS, type)) {
      problems.push(param.type === undefined ? `${at}.type: missing (categorical, int or float)` : `${at}.type: ${JSON.stringify(param.type)} is not one of categorical, int, float`);
      seen.push(name);
      continue;
    }
    for (const key of Object.keys(param)) if (!PARAM_KEYS[type].includes(key)) problems.push(`${at}.${key}: unknown key for ${type === 'int' ? 'an' : 'a'} ${type} parameter (its keys: ${PARAM_KEYS[type].join(', ')})`);
    if (type === 'categorical') {
      if (!Array.isArray(param.values) || param.values.length === 0) problems.push(`${at}.values: expected a non-empty array`);
      else if (param.values.some((v, i) => (param.values as Json[]).findIndex((w) => sameJson(v as Json, w)) !== i)) problems.push(`${at}.values: duplicate values`);
    } else {
      const { low, high, step, log } = param as { low: unknown; high: unknown; step?: unknown; log?: unknown };
      if (typeof low !== 'number' || !Number.isFinite(low)) problems.push(`${at}.low: expected a finite number`);
      if (typeof high !== 'number' || !Number.isFinite(high)) problems.push(`${at}.high: expected a finite number`);
      if (typeof low === 'number' && typeof high === 'number' && low > high) problems.push(`${at}: low ${low} is greater than high ${high}`);
      if (type === 'int' && ((typeof low === 'number' && !Number.isInteger(low)) || (typeof high === 'number' && !Number.isInteger(high)))) problems.push(`${at}: an int parameter needs integer low and high`);
      if (step !== undefined && (typeof step !== 'number' || !(step > 0) || (type === 'int' && !Number.isInteger(step)))) problems.push(`${at}.step: expected a positive ${type === 'int' ? 'integer' : 'number'}`);
      if (log !== undefined && typeof log !== 'boolean') problems.push(`${at}.log: expected true or false`);
      if (log === true && typeof low === 'number' && low <= 0) problems.push(`${at}.low: a log-scaled parameter needs low > 0`);
      if (log === true && step !== undefined) problems.push(`${at}: log and step cannot be combined`);
      // A grid is listed value by value (sampling, mutation): a step far below the range would never finish.
      if (typeof low === 'number' && typeof high === 'number' && typeof step === 'number' && step > 0 && (high - low) / step > MAX_GRID_VALUES) {
        problems.push(`${at}.step: ${step} makes ${Math.round((high - low) / step) + 1} values in [${low}, ${high}]; at most ${MAX_GRID_VALUES + 1}`);
      }
    }
    if (param.when !== undefined) {
      if (!isJsonObject(param.when as Json)) problems.push(`${at}.when: expected an object of {parameter: [values]}`);
      else for (const [ref, allowed] of Object.entries(param.when as Record<string, unknown>)) {
        if (!seen.includes(ref)) problems.push(`${at}.when.${ref}: conditions may only refer to parameters declared before '${name}'`);
        if (!Array.isArray(allowed) || allowed.length === 0) problems.push(`${at}.when.${ref}: expected a non-empty array of values`);
      }
    }
    seen.push(name);
  }
  return problems;
}

/**
 * Grids a person writing a space file more likely mistyped than meant: a step that leaves
 * out high, or everything but low. Checked on files as they are read, not on a space a run
 * stored (which the run was searched with, and must still load). `def` has passed
 * checkSpaceDefinition.
 */
export function gridProblems(def: SpaceDefinition): string[] {
  const problems: string[] = [];
  for (const [name, param] of Object.entries(def.params)) {
    if (param.type === 'categorical' || param.step === undefined || !(param.low < param.high) || valueFits(param, param.high)) continue;
    const { low, high, step } = param;
    const steps = (high - low) / step;
    problems.push(steps < 1
      ? `params.${name}.step: ${step} is larger than the range [${low}, ${high}], so the parameter could only be ${low}; use a step that divides ${Number((high - low).toPrecision(12))}`
      : `params.${name}.high: ${high} is not a whole number of steps of ${step} from low ${low} (the grid would end at ${gridValue(param, Math.floor(steps + 1e-9))}); `
        + `use high ${gridValue(param, Math.floor(steps + 1e-9))}, or a step that divides the range`);
  }
  return problems;
}

/** Whether `value` is a legal value of `param`. */
export function valueFits(param: Param, value: Json): boolean {
  if (param.type === 'categorical') return param.values.some((v) => sameJson(v, value));
  if (typeof value !== 'number' || !Number.isFinite(value)) return false;
  // Rounding slack relative to the parameter's own scale: an absolute 1e-9 let a value half a step
  // off a grid of 1e-9 steps through, and anything within 1e-12 past a bound of 1e-13.
  const scale = Math.max(Math.abs(param.low), Math.abs(param.high));
  const slack = Math.max(1e-9 * (param.high - param.low), 1e-12 * scale);
  if (value < param.low - slack || value > param.high + slack) return false;
  if (param.type === 'int' && !Number.isInteger(value)) return false;
  // On the grid: a whole number of steps from low (checked, not listed). Far from zero the step
  // count carries rounding error; there the grid's own value (12 significant digits) decides.
  if (param.step === undefined) return true;
  const steps = (value - param.low) / param.step;
  return Math.abs(steps - Math.round(steps)) < 1e-9 || Math.abs(gridValue(param, Math.round(steps)) - value) <= 1e-13 * Math.max(Math.abs(value), scale);
}

/** The first problem with a genotype in a space, or null when it belongs to it. */
export function checkGenotype(def: SpaceDefinition, genotype: unknown): string | null {
  if (!isJsonObject(genotype as Json)) return 'genotype: expected a JSON object';
  const g = genotype as Genotype;
  const partial: Genotype = {};
  for (const [name, param] of Object.entries(def.params)) {
    const active = isActive(param, partial);
    if (active && !(name in g)) return `${name}: missing (required in space '${def.name}')`;
    if (!active && name in g) return `${name}: set, but inactive here (its condition ${JSON.stringify(param.when)} does not hold)`;
    if (active) {
      if (!valueFits(param, g[name]!)) return `${name}: ${JSON.stringify(g[name])} is not a legal value (${describeParam(param)})`;
      partial[name] = g[name]!;
    }
  }
  for (const key of Object.keys(g)) if (!Object.hasOwn(def.params, key)) return `${key}: not a parameter of space '${def.name}'`;
  return null;
}

export function describeParam(param: Param): string {
  if (param.type === 'categorical') return `one of ${param.values.map((v) => JSON.stringify(v)).join(', ')}`;
  const range = `${param.type} in [${param.low}, ${param.high}]`;
  return param.step !== undefined ? `${range} in steps of ${param.step}` : param.log ? `${range}, log scale` : range;
}
