/**
 * Reads a profile data file: every key known, every number with its unit, nothing
 * negative. A problem is one line naming the file, the key path and the fix.
 */
import { errorMessage } from '../core/errors.js';
import { isJsonObject, type Json } from '../core/json.js';
import { parseBandwidth, parseBytes, parseLatency, parseOpsPerSecond, parsePicojoules, parseWatts } from '../core/units.js';
import { LAYER_KINDS, PRECISIONS, type Precision, type Profile } from './profile.js';

export class ProfileError extends Error {}

type Obj = { [key: string]: Json };

const SHAPE: Record<string, readonly string[]> = {
  '': ['id', 'name', 'runtime', 'class', 'peak', 'native', 'memory', 'overhead', 'overheadPerKind', 'efficiency', 'energy', 'power', 'estimates', 'sources'],
  native: ['precisions', 'unstructuredSparsity', 'minSparsity', 'requiresQuantization', 'foldsConstants', 'fusesLayers'],
  memory: ['bandwidth', 'sram', 'flash', 'dram', 'limits'],
  energy: ['perMac', 'perByte', 'source'],
  'energy.perByte': ['sram', 'dram'],
};

export function parseProfile(json: Json, source: string): Profile {
  const fail = (path: string, problem: string): never => { throw new ProfileError(`${source}: ${path}: ${problem}`); };
  const object = (value: Json | undefined, path: string): Obj => (isJsonObject(value) ? value as Obj : fail(path || '(top level)', 'must be an object'));
  const checkKeys = (o: Obj, path: string, allowed: readonly string[]) => {
    for (const key of Object.keys(o)) if (!allowed.includes(key)) fail(path ? `${path}.${key}` : key, `unknown field (known: ${allowed.join(', ')})`);
  };
  const text = (value: Json | undefined, path: string): string => (typeof value === 'string' && value !== '' ? value : fail(path, 'must be a non-empty string'));
  const quantity = (value: Json | undefined, path: string, parse: (s: string, o: { label: string }) => number): number => {
    if (typeof value === 'number') fail(path, `${value} has no unit: write it as a string with its unit, e.g. "${value} ${unitHint(parse)}"`);
    try {
      return parse(text(value, path), { label: path });
    } catch (error) {
      if (error instanceof ProfileError) throw error;
      return fail(path, errorMessage(error));
    }
  };
  const optional = (value: Json | undefined, path: string, parse: (s: string, o: { label: string }) => number): number | null =>
    (value === undefined || value === null ? null : quantity(value, path, parse));
  const share = (value: Json | undefined, path: string): number => (typeof value === 'number' && value > 0 && value <= 1 ? value : fail(path, 'must be a number in (0, 1]'));
  const precision = (value: string, path: string): Precision => ((PRECISIONS as readonly string[]).includes(value) ? value as Precision : fail(path, `unknown precision '${value}' (one of ${PRECISIONS.join(', ')})`));

  const top = object(json, '');
  checkKeys(top, '', SHAPE['']!);
  const klass = text(top.class, 'class');
  if (!['cpu', 'gpu', 'npu', 'mcu', 'asic', 'fpga', 'host'].includes(klass)) fail('class', `unknown class '${klass}' (cpu, gpu, npu, mcu, asic, fpga, host)`);
  const peak = object(top.peak, 'peak');
  const peakOpsPerSec: Partial<Record<Precision, number>> = {};
  for (const [key, value] of Object.entries(peak)) if (value !== null) peakOpsPerSec[precision(key, `peak.${key}`)] = quantity(value, `peak.${key}`, parseOpsPerSecond);
  const native = object(top.native, 'native');
  checkKeys(native, 'native', SHAPE.native!);
  if (!Array.isArray(native.precisions) || native.precisions.length === 0) fail('native.precisions', 'must be a non-empty list');
  const precisions = (native.precisions as Json[]).map((p, i) => precision(text(p, `native.precisions[${i}]`), `native.precisions[${i}]`));
  for (const p of precisions) if (peakOpsPerSec[p] === undefined) fail(`peak.${p}`, `native precision ${p} needs a peak throughput`);
  const memory = object(top.memory, 'memory');
  checkKeys(memory, 'memory', SHAPE.memory!);
  const limits = memory.limits ?? 'soft';
  if (limits !== 'hard' && limits !== 'soft') fail('memory.limits', "must be 'hard' (microcontrollers) or 'soft'");
  const perKindOverhead = top.overheadPerKind === undefined ? {} : object(top.overheadPerKind, 'overheadPerKind');
  checkKeys(perKindOverhead, 'overheadPerKind', LAYER_KINDS);
  const efficiency = object(top.efficiency, 'efficiency');
  checkKeys(efficiency, 'efficiency', LAYER_KINDS);
  const energy = object(top.energy, 'energy');
  checkKeys(energy, 'energy', SHAPE.energy!);
  const perMac = object(energy.perMac, 'energy.perMac');
  const perMacPj: Partial<Record<Precision, number>> = {};
  for (const [key, value] of Object.entries(perMac)) perMacPj[precision(key, `energy.perMac.${key}`)] = quantity(value, `energy.perMac.${key}`, parsePicojoules);
  const perByte = object(energy.perByte, 'energy.perByte');
  checkKeys(perByte, 'energy.perByte', SHAPE['energy.perByte']!);
  const list = (value: Json | undefined, path: string): string[] => (value === undefined ? [] : Array.isArray(value) ? value.map((v, i) => text(v, `${path}[${i}]`)) : fail(path, 'must be a list of strings'));
  const minSparsity = native.minSparsity ?? 0;
  if (typeof minSparsity !== 'number' || minSparsity < 0 || minSparsity >= 1) fail('native.minSparsity', 'must be a number in [0, 1)');
  return {
    id: text(top.id, 'id'), name: text(top.name, 'name'), runtime: text(top.runtime, 'runtime'), class: klass as Profile['class'],
    peakOpsPerSec,
    native: { precisions, unstructuredSparsity: native.unstructuredSparsity === true, minSparsity: minSparsity as number, requiresQuantization: native.requiresQuantization === true, foldsConstants: native.foldsConstants !== false, fusesLayers: native.fusesLayers !== false },
    memory: {
      bandwidthBytesPerSec: optional(memory.bandwidth, 'memory.bandwidth', parseBandwidth), sramBytes: optional(memory.sram, 'memory.sram', parseBytes),
      flashBytes: optional(memory.flash, 'memory.flash', parseBytes), dramBytes: optional(memory.dram, 'memory.dram', parseBytes), limits: limits as 'hard' | 'soft',
    },
    overheadSec: quantity(top.overhead, 'overhead', parseLatency) / 1000,
    overheadPerKindSec: Object.fromEntries(Object.entries(perKindOverhead).map(([k, v]) => [k, quantity(v, `overheadPerKind.${k}`, parseLatency) / 1000])),
    efficiency: Object.fromEntries(LAYER_KINDS.map((k) => [k, share(efficiency[k], `efficiency.${k}`)])) as Profile['efficiency'],
    energy: {
      perMacPj, perBytePj: { sram: quantity(perByte.sram, 'energy.perByte.sram', parsePicojoules), dram: quantity(perByte.dram, 'energy.perByte.dram', parsePicojoules) },
      source: text(energy.source, 'energy.source'),
    },
    powerWatts: optional(top.power, 'power', parseWatts),
    estimates: list(top.estimates, 'estimates'), sources: list(top.sources, 'sources'),
  };
}

function unitHint(parse: (s: string, o: { label: string }) => number): string {
  return parse === parseOpsPerSecond ? 'GOPS' : parse === parseBandwidth ? 'GB/s' : parse === parseBytes ? 'KiB' : parse === parseLatency ? 'us' : parse === parsePicojoules ? 'pJ' : 'W';
}
