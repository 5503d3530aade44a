/**
 * Reads a profile data file (format: hardware-profiles/data/README.md): every key known,
 * every number with its unit, nothing negative. A problem is one line naming the file,
 * the key path and the fix, because a profile is hand-written and the reader fixes it by
 * editing that key. Older spellings (`foldsConstants`, `unstructuredSparsity` +
 * `minSparsity`, five efficiency kinds) still read, so existing user files keep working.
 */
import { errorMessage, UserError } from '../core/errors.js';
import { isJsonObject, type Json } from '../core/json.js';
import { parseBandwidth, parseBytes, parseLatency, parseOpsPerSecond, parsePicojoules, parseWatts } from '../core/units.js';
import { HOROWITZ_ESTIMATED, horowitzEnergy } from './horowitz.js';
import {
  CORE_KINDS, FOLDING, FUSION, LAYER_KINDS, NONLINEAR_ACTIVATIONS, PRECISIONS, WEIGHT_KINDS,
  type Folding, type Fusion, type LayerKind, type NonlinearActivation, type Precision, type Profile, type SparseKernel,
} from './profile.js';

export class ProfileError extends Error {
  override readonly name = 'ProfileError';
  /** How to fix it, where the message alone does not say (how to write a number with its unit). */
  constructor(message: string, readonly hint?: string) {
    super(message);
  }
}

const UNITS_HINT = 'every number needs its unit, e.g. "47.9 GOPS", "5.6 GB/s", "512KiB", "20us", "3.7pJ", "2W"';
/** Rates a roofline divides by: zero would make a layer take forever, so it is an error (a bandwidth with no roof is null). */
const RATES: ReadonlySet<Parse> = new Set([parseOpsPerSecond, parseBandwidth]);

type Obj = { [key: string]: Json };
type Parse = (s: string, o: { label: string }) => number;

export const PROFILE_KEYS: Readonly<Record<string, readonly string[]>> = {
  '': ['$schema', 'id', 'name', 'runtime', 'class', 'peak', 'native', 'memory', 'invokeOverhead', 'overhead', 'overheadPerKind', 'efficiency', 'energy', 'power', 'estimates', 'sources'],
  native: ['precisions', 'sparseKernels', 'unstructuredSparsity', 'minSparsity', 'requiresQuantization', 'folding', 'foldsConstants', 'zeros', 'fusion', 'fusesLayers',
    'activationKernels', 'fusedActivations'],
  'native.sparseKernels[]': ['pattern', 'minSparsity', 'kinds', 'precisions'],
  memory: ['bandwidth', 'sramBandwidth', 'flashBandwidth', 'sram', 'flash', 'dram', 'limits'],
  energy: ['perMac', 'perByte', 'static', 'source'],
  'energy.perByte': ['sram', 'dram', 'flash'],
};
const CLASSES = ['cpu', 'gpu', 'npu', 'mcu', 'asic', 'fpga', 'host'] as const;

const UNIT_EXAMPLE = new Map<Parse, string>([
  [parseOpsPerSecond, 'GOPS'], [parseBandwidth, 'GB/s'], [parseBytes, 'KiB'], [parseLatency, 'us'], [parsePicojoules, 'pJ'], [parseWatts, 'W'],
]);

/** Checks a parsed data file and converts it to base units; `source` names it in errors. */
export function parseProfile(json: Json, source: string): Profile {
  const fail = (path: string, problem: string, hint?: string): never => { throw new ProfileError(`${source}: ${path}: ${problem}`, hint); };
  const object = (value: Json | undefined, path: string): Obj => (isJsonObject(value) ? value : fail(path || '(top level)', value === undefined ? 'missing: add it (an object)' : 'must be an object'));
  const checkKeys = (o: Obj, path: string, allowed: readonly string[]) => {
    for (const key of Object.keys(o)) {
      if (!allowed.includes(key)) fail(path ? `${path}.${key}` : key, `unknown field: remove it or use one of ${allowed.filter((k) => k !== '$schema').join(', ')}`);
    }
  };
  const text = (value: Json | undefined, path: string): string => (typeof value === 'string' && value !== ''
    ? value : fail(path, value === undefined ? 'missing: add it (a non-empty string)' : 'must be a non-empty string'));
  const flag = (value: Json | undefined, path: string, fallback: boolean): boolean => (value === undefined ? fallback : typeof value === 'boolean' ? value : fail(path, 'must be true or false'));
  const quantity = (value: Json | undefined, path: string, parse: Parse): number => {
    const unit = UNIT_EXAMPLE.get(parse) ?? '';
    if (typeof value === 'number') {
      fail(path, value < 0 ? `must not be negative, got ${value}` : `${value} has no unit: write it as a string with its unit, e.g. "${value} ${unit}"`, value < 0 ? undefined : UNITS_HINT);
    }
    if (value === undefined) fail(path, `missing: add it as a string with its unit, e.g. "1 ${unit}"`, UNITS_HINT);
    let parsed: number;
    try {
      parsed = parse(text(value, path), { label: path });
    } catch (error) {
      if (error instanceof ProfileError) throw error;
      return fail(path, `${errorMessage(error)} (write a non-negative number and a unit such as ${unit})`, error instanceof UserError ? error.hint ?? UNITS_HINT : UNITS_HINT);
    }
    if (parsed === 0 && RATES.has(parse)) fail(path, `must be more than zero, got '${String(value)}'${parse === parseBandwidth ? ' (null means no bandwidth roof)' : ''}`);
    return parsed;
  };
  const optional = (value: Json | undefined, path: string, parse: Parse): number | null => (value === undefined || value === null ? null : quantity(value, path, parse));
  const share = (value: Json | undefined, path: string): number => (typeof value === 'number' && value > 0 && value <= 1
    ? value : fail(path, `must be a number in (0, 1], the share of peak this kind reaches; got ${JSON.stringify(value ?? null)}`));
  const oneOf = <T extends string>(value: Json | undefined, path: string, allowed: readonly T[]): T => ((allowed as readonly Json[]).includes(value ?? null)
    ? value as T : fail(path, `must be one of ${allowed.join(', ')}; got ${JSON.stringify(value ?? null)}`));
  const list = <T>(value: Json | undefined, path: string, item: (v: Json, p: string) => T): T[] => (value === undefined ? []
    : Array.isArray(value) ? value.map((v, i) => item(v, `${path}[${i}]`)) : fail(path, 'must be a list'));
  const precision = (value: Json, path: string): Precision => oneOf(value, path, PRECISIONS);
  const kind = (value: Json, path: string): LayerKind => oneOf(value, path, LAYER_KINDS);
  const unitShare = (value: Json | undefined, path: string, fallback: number): number => (value === undefined ? fallback
    : typeof value === 'number' && value >= 0 && value < 1 ? value : fail(path, `must be a number in [0, 1), a share of zero weights; got ${JSON.stringify(value)}`));

  const top = object(json, '');
  checkKeys(top, '', PROFILE_KEYS['']!);
  const id = text(top.id, 'id');
  const klass = oneOf(top.class, 'class', CLASSES);

  const peak = object(top.peak, 'peak');
  const peakOpsPerSec: Partial<Record<Precision, number>> = {};
  for (const [key, value] of Object.entries(peak)) {
    // null keeps a fact the sources do not give visibly unknown, as the reference files do.
    if (value !== null) peakOpsPerSec[precision(key, `peak.${key}`)] = quantity(value, `peak.${key}`, parseOpsPerSecond);
  }

  const native = object(top.native, 'native');
  checkKeys(native, 'native', PROFILE_KEYS.native!);
  if (!Array.isArray(native.precisions) || native.precisions.length === 0) fail('native.precisions', 'must be a non-empty list such as ["fp32", "int8"]');
  const precisions = list(native.precisions, 'native.precisions', precision);
  for (const p of precisions) if (peakOpsPerSec[p] === undefined) fail(`peak.${p}`, `native precision ${p} needs a peak throughput: add e.g. "peak": {"${p}": "10 GOPS"}`);
  const sparseKernels: SparseKernel[] = list(native.sparseKernels, 'native.sparseKernels', (v, path) => {
    const k = object(v, path);
    checkKeys(k, path, PROFILE_KEYS['native.sparseKernels[]']!);
    return {
      pattern: oneOf(k.pattern, `${path}.pattern`, ['unstructured'] as const), minSparsity: unitShare(k.minSparsity, `${path}.minSparsity`, 0),
      kinds: k.kinds === undefined || k.kinds === null ? null : list(k.kinds, `${path}.kinds`, kind),
      precisions: k.precisions === undefined || k.precisions === null ? null : list(k.precisions, `${path}.precisions`, precision),
    };
  });
  if (flag(native.unstructuredSparsity, 'native.unstructuredSparsity', false)) {
    sparseKernels.push({ pattern: 'unstructured', minSparsity: unitShare(native.minSparsity, 'native.minSparsity', 0), kinds: [...WEIGHT_KINDS], precisions: null });
  } else if (native.minSparsity !== undefined) unitShare(native.minSparsity, 'native.minSparsity', 0);
  if (native.folding !== undefined && native.foldsConstants !== undefined) fail('native.foldsConstants', 'give either folding or the older foldsConstants, not both');
  const folding: Folding = native.folding !== undefined ? oneOf(native.folding, 'native.folding', FOLDING)
    : flag(native.foldsConstants, 'native.foldsConstants', true) ? 'full' : 'none';
  const zeros = native.zeros === undefined ? 'constant' : oneOf(native.zeros, 'native.zeros', ['kernel', 'constant'] as const);
  if (folding === 'full' && zeros === 'kernel') fail('native.zeros', "'kernel' contradicts folding 'full' (which treats zeros as constants): use folding 'output' or 'none'");

  if (native.fusion !== undefined && native.fusesLayers !== undefined) fail('native.fusesLayers', 'give either fusion or the older fusesLayers, not both');
  const fusion: Fusion = native.fusion !== undefined ? oneOf(native.fusion, 'native.fusion', FUSION)
    : flag(native.fusesLayers, 'native.fusesLayers', true) ? 'always' : 'never';

  const kernelCounts = native.activationKernels === undefined ? {} : object(native.activationKernels, 'native.activationKernels');
  checkKeys(kernelCounts, 'native.activationKernels', NONLINEAR_ACTIVATIONS);
  const activationKernels: Partial<Record<NonlinearActivation, number>> = {};
  for (const [key, value] of Object.entries(kernelCounts)) {
    activationKernels[key as NonlinearActivation] = typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 16
      ? value : fail(`native.activationKernels.${key}`, `must be a whole number of kernels from 1 to 16; got ${JSON.stringify(value)}`);
  }
  const fusedActivations = native.fusedActivations === undefined || native.fusedActivations === null ? null
    : list(native.fusedActivations, 'native.fusedActivations', (v, path) => oneOf(v, path, NONLINEAR_ACTIVATIONS));

  const memory = object(top.memory, 'memory');
  checkKeys(memory, 'memory', PROFILE_KEYS.memory!);
  const limits = memory.limits === undefined ? 'soft' : oneOf(memory.limits, 'memory.limits', ['hard', 'soft'] as const);

  const perKindOverhead = top.overheadPerKind === undefined ? {} : object(top.overheadPerKind, 'overheadPerKind');
  checkKeys(perKindOverhead, 'overheadPerKind', LAYER_KINDS);
  const efficiency = object(top.efficiency, 'efficiency');
  checkKeys(efficiency, 'efficiency', LAYER_KINDS);
  for (const k of CORE_KINDS) if (efficiency[k] === undefined) fail(`efficiency.${k}`, `missing: add the share of peak ${k} layers reach, a number in (0, 1]`);

  const sramBytes = optional(memory.sram, 'memory.sram', parseBytes);
  let energy: Profile['energy'];
  const estimates = list(top.estimates, 'estimates', (v, p) => text(v, p));
  for (const [i, e] of estimates.entries()) if (!PROFILE_KEYS['']!.includes(e.split('.')[0]!)) fail(`estimates[${i}]`, `'${e}' names no field of a profile: give a key path such as peak.int8 or efficiency`);
  if (top.energy === undefined) {
    energy = horowitzEnergy(sramBytes);
    estimates.push(...HOROWITZ_ESTIMATED.filter((e) => !estimates.includes(e)));
  } else {
    const e = object(top.energy, 'energy');
    checkKeys(e, 'energy', PROFILE_KEYS.energy!);
    const perMac = object(e.perMac, 'energy.perMac');
    const perMacPj: Partial<Record<Precision, number>> = {};
    for (const [key, value] of Object.entries(perMac)) if (value !== null) perMacPj[precision(key, `energy.perMac.${key}`)] = quantity(value, `energy.perMac.${key}`, parsePicojoules);
    for (const p of precisions) if (perMacPj[p] === undefined) fail(`energy.perMac.${p}`, `native precision ${p} needs an energy per MAC, e.g. "4.6pJ" (or leave out the energy block for Horowitz's 45 nm table)`);
    const perByte = object(e.perByte, 'energy.perByte');
    checkKeys(perByte, 'energy.perByte', PROFILE_KEYS['energy.perByte']!);
    const flash = optional(perByte.flash, 'energy.perByte.flash', parsePicojoules);
    energy = {
      perMacPj, perBytePj: { sram: quantity(perByte.sram, 'energy.perByte.sram', parsePicojoules), dram: quantity(perByte.dram, 'energy.perByte.dram', parsePicojoules), ...(flash === null ? {} : { flash }) },
      ...(e.static === undefined || e.static === null ? {} : { staticWatts: quantity(e.static, 'energy.static', parseWatts) }),
      source: text(e.source, 'energy.source'),
    };
  }
  return {
    id, name: text(top.name, 'name'), runtime: text(top.runtime, 'runtime'), class: klass,
    peakOpsPerSec,
    native: {
      precisions, sparseKernels,
      requiresQuantization: flag(native.requiresQuantization, 'native.requiresQuantization', false), folding, zeros, fusion,
      activationKernels, fusedActivations,
    },
    memory: {
      bandwidthBytesPerSec: optional(memory.bandwidth, 'memory.bandwidth', parseBandwidth),
      sramBandwidthBytesPerSec: optional(memory.sramBandwidth, 'memory.sramBandwidth', parseBandwidth),
      flashBandwidthBytesPerSec: optional(memory.flashBandwidth, 'memory.flashBandwidth', parseBandwidth),
      sramBytes, flashBytes: optional(memory.flash, 'memory.flash', parseBytes), dramBytes: optional(memory.dram, 'memory.dram', parseBytes), limits,
    },
    invokeOverheadSec: top.invokeOverhead === undefined ? 0 : quantity(top.invokeOverhead, 'invokeOverhead', parseLatency) / 1000,
    overheadSec: quantity(top.overhead, 'overhead', parseLatency) / 1000,
    overheadPerKindSec: Object.fromEntries(Object.entries(perKindOverhead).map(([k, v]) => [k, quantity(v, `overheadPerKind.${k}`, parseLatency) / 1000])),
    efficiency: Object.fromEntries(Object.entries(efficiency).map(([k, v]) => [k, share(v, `efficiency.${k}`)])) as Profile['efficiency'],
    energy,
    powerWatts: optional(top.power, 'power', parseWatts),
    estimates, sources: list(top.sources, 'sources', (v, p) => text(v, p)),
  };
}
