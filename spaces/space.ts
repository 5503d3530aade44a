/**
 * The declarative search-space format. A space is an ordered set of named parameters;
 * a genotype is a flat JSON object holding a value for every *active* parameter. A
 * parameter may be conditional (`when`): it is active only when earlier parameters hold
 * one of the listed values, and absent from the genotype otherwise, so equal models have
 * equal genotypes (and equal hashes).
 */
import type { Json, JsonObject } from '../core/json.js';

/** Active when every named earlier parameter is active and holds one of the listed values. */
export type Condition = Record<string, Json[]>;

export interface CategoricalParam { type: 'categorical'; values: Json[]; when?: Condition; description?: string }
export interface IntParam { type: 'int'; low: number; high: number; step?: number; log?: boolean; when?: Condition; description?: string }
export interface FloatParam { type: 'float'; low: number; high: number; log?: boolean; step?: number; when?: Condition; description?: string }

export type Param = CategoricalParam | IntParam | FloatParam;

/** A space as written in TypeScript or a JSON file (`--space file.json`). */
export interface SpaceDefinition {
  name: string;
  description?: string;
  /** Declaration order matters: conditions may only refer to earlier parameters. */
  params: Record<string, Param>;
}

export type Genotype = JsonObject;

export function isActive(param: Param, genotype: Genotype): boolean {
  if (param.when === undefined) return true;
  return Object.entries(param.when).every(([key, allowed]) => key in genotype && allowed.some((v) => sameJson(v, genotype[key]!)));
}

/** Structural equality of two JSON values (numbers by value). */
export function sameJson(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => sameJson(v, b[i]!));
  const ka = Object.keys(a as JsonObject), kb = Object.keys(b as JsonObject);
  return ka.length === kb.length && ka.every((k) => k in (b as JsonObject) && sameJson((a as JsonObject)[k]!, (b as JsonObject)[k]!));
}

/** How many values a parameter takes, without listing them; null when continuous. */
export function valueCount(param: Param): number | null {
  if (param.type === 'categorical') return param.values.length;
  const step = param.step ?? (param.type === 'int' ? 1 : undefined);
  return step === undefined ? null : Math.floor((param.high - param.low) / step + 1e-9) + 1;
}

/** The `index`-th value of a stepped parameter's grid, as discreteValues lists it. */
export function gridValue(param: Exclude<Param, { type: 'categorical' }>, index: number): number {
  const v = param.low + index * (param.step ?? 1);
  return param.type === 'int' ? Math.round(v) : Number(v.toPrecision(12));
}

/** Distinct values of a discrete parameter, or null for a continuous float. */
export function discreteValues(param: Param): Json[] | null {
  if (param.type === 'categorical') return param.values;
  const count = valueCount(param);
  return count === null ? null : Array.from({ length: count }, (_, i) => gridValue(param, i));
}
