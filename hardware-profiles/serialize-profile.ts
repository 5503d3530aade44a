/** A profile back to its data-file form (every number with its unit), e.g. after calibration. */
import type { Json } from '../core/json.js';
import type { Profile } from './profile.js';

// Units forbid exponents: print plain decimals.
const g = (x: number) => (Math.abs(x) < 1e-6 ? '0' : String(Number(x.toPrecision(6))).replace(/^(\d+(?:\.\d+)?)e([+-]\d+)$/, (_, m: string, e: string) => (Number(m) * 10 ** Number(e)).toFixed(Math.max(0, -Number(e) + 6))));

export function serializeProfile(p: Profile): Json {
  return {
    id: p.id, name: p.name, runtime: p.runtime, class: p.class,
    peak: Object.fromEntries(Object.entries(p.peakOpsPerSec).map(([k, v]) => [k, `${g(v! / 1e9)} GOPS`])),
    native: { precisions: p.native.precisions, unstructuredSparsity: p.native.unstructuredSparsity, minSparsity: p.native.minSparsity,
      requiresQuantization: p.native.requiresQuantization, foldsConstants: p.native.foldsConstants, fusesLayers: p.native.fusesLayers },
    memory: {
      bandwidth: p.memory.bandwidthBytesPerSec === null ? null : `${g(p.memory.bandwidthBytesPerSec / 1e9)} GB/s`,
      sram: p.memory.sramBytes === null ? null : `${p.memory.sramBytes}B`, flash: p.memory.flashBytes === null ? null : `${p.memory.flashBytes}B`,
      dram: p.memory.dramBytes === null ? null : `${p.memory.dramBytes}B`, limits: p.memory.limits,
    },
    overhead: `${g(p.overheadSec * 1e6)}us`,
    ...(Object.keys(p.overheadPerKindSec).length > 0 ? { overheadPerKind: Object.fromEntries(Object.entries(p.overheadPerKindSec).map(([k, v]) => [k, `${g(v! * 1e6)}us`])) } : {}),
    efficiency: Object.fromEntries(Object.entries(p.efficiency).map(([k, v]) => [k, Number(v.toPrecision(6))])),
    energy: {
      perMac: Object.fromEntries(Object.entries(p.energy.perMacPj).map(([k, v]) => [k, `${g(v!)}pJ`])),
      perByte: { sram: `${g(p.energy.perBytePj.sram)}pJ`, dram: `${g(p.energy.perBytePj.dram)}pJ` }, source: p.energy.source,
    },
    power: p.powerWatts === null ? null : `${g(p.powerWatts)}W`,
    estimates: p.estimates, sources: p.sources,
  };
}
