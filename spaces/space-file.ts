/**
 * Search spaces from JSON files (`--space file.json`). A file narrows a built-in space,
 * which supplies the network topology:
 *
 *   { "name": "pi-mobile", "base": "mobile-cnn",
 *     "params": { "width": { "type": "categorical", "values": [0.5, 0.75] },
 *                 "quant.bits": { "type": "categorical", "values": [8] } } }
 *
 * Each listed parameter replaces the base's parameter of the same name and must stay
 * inside it (a subset of its values, or a sub-range); unlisted ones keep the base's.
 * Every problem names its key path.
 */
import { UserError } from '../core/errors.js';
import { isJsonObject, parseJsonFile, type Json } from '../core/json.js';
import { closestName } from '../core/suggest.js';
import { readUserText } from '../core/text-file.js';
import type { BuiltinSpace } from './builtin.js';
import { BUILTIN_SPACES, getBuiltinSpace } from './registry.js';
import { sameJson, type Param, type SpaceDefinition } from './space.js';
import { checkSpaceDefinition, gridProblems, valueFits } from './validate.js';

function narrows(base: Param, param: Param): string | null {
  if (param.type === 'categorical') {
    const outside = param.values.find((v) => !valueFits(base, v));
    if (outside === undefined) return null;
    const allowed = base.type === 'categorical' ? `one of ${base.values.map((v) => JSON.stringify(v)).join(', ')}` : `${base.type === 'int' ? 'a whole number ' : ''}in [${base.low}, ${base.high}]`;
    // "8" for 8: the base's values are numbers.
    const typeHint = base.type === 'categorical' && typeof outside === 'string' && base.values.some((v) => String(v) === outside) ? ` (a string: write ${outside} without quotes)` : '';
    return `value ${JSON.stringify(outside)} is not in the base space${typeHint}; the base allows ${allowed}`;
  }
  if (base.type === 'categorical') return `the base parameter is categorical: list its values instead of a range`;
  if (param.type !== base.type) return `the base parameter is ${base.type}: keep its type (got ${param.type})`;
  if (param.low < base.low || param.high > base.high) return `range [${param.low}, ${param.high}] is outside the base's [${base.low}, ${base.high}]`;
  // On a stepped base, the narrowed grid must be part of the base's grid (every value it can take, the base could).
  const baseStep = base.step ?? (base.type === 'int' ? 1 : undefined);
  if (baseStep !== undefined) {
    const onGrid = (x: number) => Math.abs((x - base.low) / baseStep - Math.round((x - base.low) / baseStep)) < 1e-9;
    if (!onGrid(param.low)) return `low ${param.low} is not on the base's grid (${base.low} in steps of ${baseStep})`;
    const step = param.step ?? (param.type === 'int' ? 1 : undefined);
    if (step === undefined || !onGrid(base.low + step)) return `step ${step ?? 'none (continuous)'} is not a multiple of the base's step ${baseStep}`;
  }
  return null;
}

/** The same condition, whatever the order of its parameters and of their values. */
function sameCondition(given: unknown, base: Param['when']): boolean {
  if (!isJsonObject(given as Json) || base === undefined) return false;
  const g = given as Record<string, unknown>;
  const keys = Object.keys(g);
  return keys.length === Object.keys(base).length && keys.every((k) => {
    const values = g[k], want = base[k];
    return Array.isArray(values) && want !== undefined && values.length === want.length
      && want.every((w) => (values as Json[]).some((v) => sameJson(v, w as Json)));
  });
}

/**
 * Problems with a space file's content (empty when valid). `asRead`: the file is being read
 * now, not loaded as a run stored it, so grids that look mistyped are refused too.
 */
export function checkSpaceFile(raw: unknown, asRead = false): string[] {
  if (!isJsonObject(raw as Json)) return ['expected a JSON object with "name", "base" and "params"'];
  const file = raw as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of Object.keys(file)) if (!['name', 'description', 'base', 'params'].includes(key)) problems.push(`${key}: unknown key (expected name, description, base, params)`);
  const base = typeof file.base === 'string' && Object.hasOwn(BUILTIN_SPACES, file.base) ? BUILTIN_SPACES[file.base] : undefined;
  if (file.base === undefined) problems.push(`base: missing; name the built-in space this file narrows (${Object.keys(BUILTIN_SPACES).join(', ')})`);
  else if (base === undefined) problems.push(`base: ${JSON.stringify(file.base)} is not a built-in space (${Object.keys(BUILTIN_SPACES).join(', ')})`);
  // A file may repeat its base's conditions, which refer to parameters in the base's order, not the file's: they are
  // compared with the base's below, not checked as a space of their own.
  const unconditioned = isJsonObject(file.params as Json)
    ? Object.fromEntries(Object.entries(file.params as Record<string, unknown>).map(([k, p]) => [k, isJsonObject(p as Json) ? { ...(p as object), when: undefined } : p]))
    : file.params;
  problems.push(...checkSpaceDefinition({ name: file.name, params: unconditioned }).filter((p) => !p.startsWith('params: expected')));
  if (!isJsonObject(file.params as Json)) problems.push('params: expected an object of parameters to narrow');
  if (base === undefined || problems.length > 0) return problems;
  if (asRead) problems.push(...gridProblems({ name: file.name as string, params: file.params as Record<string, Param> }));
  for (const [key, param] of Object.entries(file.params as Record<string, Param>)) {
    const original = Object.hasOwn(base.definition.params, key) ? base.definition.params[key] : undefined;
    if (original === undefined) {
      const meant = closestName(key, Object.keys(base.definition.params));
      problems.push(`params.${key}: not a parameter of ${file.base as string}${meant !== undefined ? `; did you mean '${meant}'?` : ` (its parameters: ${Object.keys(base.definition.params).join(', ')})`}`);
      continue;
    }
    if (param.when !== undefined && !sameCondition(param.when, original.when)) {
      problems.push(`params.${key}.when: conditions come from the base space and cannot change; leave "when" out (${file.base as string}'s is ${original.when === undefined ? 'none' : JSON.stringify(original.when)})`);
    }
    const narrow = narrows(original, param);
    if (narrow !== null) problems.push(`params.${key}: ${narrow}`);
  }
  return problems;
}

/** The space a file describes: the base's parameters, narrowed, in the base's order. */
export function spaceFromFile(raw: unknown, source = 'space file', asRead = false): BuiltinSpace {
  const problems = checkSpaceFile(raw, asRead);
  // Up to three problems at once, so a file with several is not fixed one run at a time.
  if (problems.length > 0) throw new UserError(`${source}: ${problems.slice(0, 3).join('; ')}${problems.length > 3 ? ` (and ${problems.length - 3} more)` : ''}`);
  const file = raw as { name: string; description?: string; base: string; params: Record<string, Param> };
  const base = BUILTIN_SPACES[file.base]!;
  const params = Object.fromEntries(Object.entries(base.definition.params).map(([k, p]) => [k, file.params[k] === undefined ? p : { ...file.params[k]!, ...(p.when ? { when: p.when } : {}) }]));
  const definition: SpaceDefinition = { name: file.name, description: file.description ?? `${file.base}, narrowed`, params };
  return { ...base, definition };
}

/** A space file's JSON, as read now (what a run stores); unreadable or not JSON is a UserError naming the file. */
export function readSpaceFileJson(path: string): Json {
  let text: string;
  try {
    text = readUserText(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UserError(`no space file at ${path}`, `--space takes a built-in space (${Object.keys(BUILTIN_SPACES).join(', ')}) or the path of a space file`);
    throw new UserError(`cannot read space file ${path}: ${(error as Error).message}`);
  }
  try {
    return parseJsonFile(text);
  } catch (error) {
    throw new UserError(`${path}: not valid JSON (${(error as Error).message})`);
  }
}

export function loadSpaceFile(path: string): BuiltinSpace {
  return spaceFromFile(readSpaceFileJson(path), path, true);
}

/** The space a run stored in its config: a built-in space's name, or a space file's JSON content. */
export function storedSpace(space: string | Json): BuiltinSpace {
  return typeof space === 'string' ? getBuiltinSpace(space) : spaceFromFile(space);
}

/** A built-in space by name, or a space file by path (anything ending in .json). */
export function resolveSpace(nameOrPath: string): BuiltinSpace {
  return nameOrPath.endsWith('.json') ? loadSpaceFile(nameOrPath) : getBuiltinSpace(nameOrPath);
}
