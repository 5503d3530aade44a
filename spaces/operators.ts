/**
 * Sampling, mutation, crossover and distance for any space. Every function is a pure
 * function of its inputs and the Rng it is handed, so a seeded search proposes the same
 * genotypes on every run. Results are always members of the space: conditional
 * parameters that become active are sampled, ones that become inactive are dropped.
 */
import { canonicalJson, stableHash, type Json } from '../core/json.js';
import type { Rng } from '../core/rng.js';
import { discreteValues, gridValue, isActive, sameJson, valueCount, type Genotype, type Param, type SpaceDefinition } from './space.js';

function toUnit(param: Exclude<Param, { type: 'categorical' }>, value: number): number {
  if (param.high === param.low) return 0;
  if (param.log) return (Math.log(value) - Math.log(param.low)) / (Math.log(param.high) - Math.log(param.low));
  return (value - param.low) / (param.high - param.low);
}

function fromUnit(param: Exclude<Param, { type: 'categorical' }>, unit: number): number {
  const u = Math.min(1, Math.max(0, unit));
  let value = param.log ? Math.exp(Math.log(param.low) + u * (Math.log(param.high) - Math.log(param.low))) : param.low + u * (param.high - param.low);
  const step = param.step ?? (param.type === 'int' ? 1 : undefined);
  // The largest value on the grid, which is below `high` when the range is not a whole number of steps.
  const top = step !== undefined ? gridValue(param, valueCount(param)! - 1) : param.high;
  if (step !== undefined) value = param.low + Math.round((value - param.low) / step) * step;
  value = Math.min(top, Math.max(param.low, value));
  return param.type === 'int' ? Math.round(value) : Number(value.toPrecision(12));
}

export function sampleValue(param: Param, rng: Rng): Json {
  if (param.type === 'categorical') return rng.pick(param.values);
  // A grid's value by its index: an int range of millions is not listed to draw one.
  const count = valueCount(param);
  if (count !== null && !param.log) return gridValue(param, rng.int(count));
  return fromUnit(param, rng.next());
}

/** A value near `current`: another category, a neighbouring step, or a Gaussian move of 1/6 of the range. */
function perturbValue(param: Param, current: Json, rng: Rng): Json {
  if (param.type === 'categorical') {
    const others = param.values.filter((v) => !sameJson(v, current));
    return others.length > 0 ? rng.pick(others) : current;
  }
  const count = valueCount(param);
  if (count !== null && count <= 8) {
    const others = discreteValues(param)!.filter((v) => v !== current);
    return others.length > 0 ? rng.pick(others) : current;
  }
  for (let attempt = 0; attempt < 8; attempt++) {
    const moved = fromUnit(param, toUnit(param, current as number) + rng.normal() / 6);
    if (moved !== current) return moved;
  }
  return sampleValue(param, rng);
}

/** Keeps what `proposed` says for active parameters, samples newly active ones, drops the rest. */
function resolve(def: SpaceDefinition, proposed: Genotype, rng: Rng): Genotype {
  const out: Genotype = {};
  for (const [name, param] of Object.entries(def.params)) {
    if (!isActive(param, out)) continue;
    out[name] = name in proposed ? proposed[name]! : sampleValue(param, rng);
  }
  return canonical(out);
}

export function sample(def: SpaceDefinition, rng: Rng): Genotype {
  return resolve(def, {}, rng);
}

/**
 * Each active parameter changes with probability `rate`; at least one always changes
 * (when the space has more than one genotype), so a mutant is never its parent.
 */
export function mutate(def: SpaceDefinition, rng: Rng, parent: Genotype, rate: number): Genotype {
  const active = Object.keys(def.params).filter((k) => k in parent);
  const changeable = active.filter((k) => {
    const count = valueCount(def.params[k]!);
    return count === null || count > 1;
  });
  if (changeable.length === 0) return canonical(parent);
  const proposed: Genotype = { ...parent };
  let changed = false;
  for (const key of changeable) {
    if (rng.next() < rate) { proposed[key] = perturbValue(def.params[key]!, parent[key]!, rng); changed = true; }
  }
  if (!changed) {
    const key = rng.pick(changeable);
    proposed[key] = perturbValue(def.params[key]!, parent[key]!, rng);
  }
  return resolve(def, proposed, rng);
}

/** Uniform crossover: each parameter from either parent with equal odds. */
export function crossover(def: SpaceDefinition, rng: Rng, a: Genotype, b: Genotype): Genotype {
  const proposed: Genotype = {};
  for (const name of Object.keys(def.params)) {
    const inA = name in a, inB = name in b;
    if (inA && inB) proposed[name] = rng.next() < 0.5 ? a[name]! : b[name]!;
    else if (inA || inB) proposed[name] = inA ? a[name]! : b[name]!;
  }
  return resolve(def, proposed, rng);
}

/**
 * Mean per-parameter distance in [0, 1]: 0/1 for categories, the normalised gap (in log
 * space when the parameter is log-scaled) for numbers, 1 where only one side has it.
 */
export function distance(def: SpaceDefinition, a: Genotype, b: Genotype): number {
  let total = 0, count = 0;
  for (const [name, param] of Object.entries(def.params)) {
    const inA = name in a, inB = name in b;
    if (!inA && !inB) continue;
    count++;
    if (inA !== inB) { total += 1; continue; }
    if (param.type === 'categorical') total += sameJson(a[name]!, b[name]!) ? 0 : 1;
    else total += Math.abs(toUnit(param, a[name] as number) - toUnit(param, b[name] as number));
  }
  return count === 0 ? 0 : total / count;
}

/** The genotype with keys in sorted order: its JSON text is then unique. */
export function canonical(genotype: Genotype): Genotype {
  return JSON.parse(canonicalJson(genotype)) as Genotype;
}

export function genotypeHash(genotype: Genotype): string {
  return stableHash(genotype);
}

/**
 * Number of distinct genotypes, exactly (as a BigInt), or null when a parameter is
 * continuous. Conditional parameters are counted per assignment of the parameters their
 * conditions read; the others multiply.
 */
export function spaceSize(def: SpaceDefinition): bigint | null {
  const entries = Object.entries(def.params);
  if (entries.some(([, p]) => valueCount(p) === null)) return null;
  const referenced = new Set(entries.flatMap(([, p]) => Object.keys(p.when ?? {})));
  // Values are listed only for the parameters conditions read; the others are counted.
  const cardinality = new Map<string, Json[] | null>(entries.map(([k, p]) => [k, referenced.has(k) ? discreteValues(p) : null]));
  const count = (index: number, assigned: Genotype): bigint => {
    if (index === entries.length) return 1n;
    const [name, param] = entries[index]!;
    if (!isActive(param, assigned)) return count(index + 1, assigned);
    const values = cardinality.get(name)!;
    if (!referenced.has(name)) return BigInt(valueCount(param)!) * count(index + 1, assigned);
    let total = 0n;
    for (const v of values!) total += count(index + 1, { ...assigned, [name]: v });
    return total;
  };
  return count(0, {});
}
