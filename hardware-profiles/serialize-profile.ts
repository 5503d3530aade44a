/** A profile back to its data-file form (every number with its unit), e.g. after calibration; parseProfile reads it back. */
import type { Json } from '../core/json.js';
import type { Profile } from './profile.js';

// Units forbid exponents: print plain decimals with six significant digits.
const g = (x: number): string => {
  if (Math.abs(x) < 1e-9) return '0';
  const digits = Math.max(0, 5 - Math.floor(Math.log10(Math.abs(x))));
  // toFixed never writes an exponent below 1e21 (String(Number(...)) does below 1e-6); drop trailing zeros.
  return x.toFixed(Math.min(digits, 20)).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, '');
};
const rate = (opsPerSec: number) => `${g(opsPerSec / 1e9)} GOPS`;
const bytes = (b: number | null) => (b === null ? null : `${b}B`);
const bandwidth = (b: number | null) => (b === null ? null : `${g(b / 1e9)} GB/s`);
const us = (sec: number) => `${g(sec * 1e6)}us`;

export function serializeProfile(p: Profile): Json {
  const n = p.native;
  return {
    id: p.id, name: p.name, runtime: p.runtime, class: p.class,
    peak: Object.fromEntries(Object.entries(p.peakOpsPerSec).map(([k, v]) => [k, rate(v!)])),
    native: {
      precisions: n.precisions,
      sparseKernels: n.sparseKernels.map((k) => ({ pattern: k.pattern, minSparsity: k.minSparsity, kinds: k.kinds, precisions: k.precisions })),
      requiresQuantization: n.requiresQuantization, folding: n.folding, zeros: n.zeros, fusion: n.fusion,
      ...(Object.keys(n.activationKernels).length > 0 ? { activationKernels: n.activationKernels } : {}),
      ...(n.fusedActivations !== null ? { fusedActivations: n.fusedActivations } : {}),
    },
    memory: {
      bandwidth: bandwidth(p.memory.bandwidthBytesPerSec), sramBandwidth: bandwidth(p.memory.sramBandwidthBytesPerSec), flashBandwidth: bandwidth(p.memory.flashBandwidthBytesPerSec),
      sram: bytes(p.memory.sramBytes), flash: bytes(p.memory.flashBytes), dram: bytes(p.memory.dramBytes), limits: p.memory.limits,
    },
    invokeOverhead: us(p.invokeOverheadSec),
    overhead: us(p.overheadSec),
    ...(Object.keys(p.overheadPerKindSec).length > 0 ? { overheadPerKind: Object.fromEntries(Object.entries(p.overheadPerKindSec).map(([k, v]) => [k, us(v!)])) } : {}),
    efficiency: Object.fromEntries(Object.entries(p.efficiency).map(([k, v]) => [k, Number(v!.toPrecision(6))])),
    energy: {
      perMac: Object.fromEntries(Object.entries(p.energy.perMacPj).map(([k, v]) => [k, `${g(v!)}pJ`])),
      perByte: { sram: `${g(p.energy.perBytePj.sram)}pJ`, dram: `${g(p.energy.perBytePj.dram)}pJ`, ...(p.energy.perBytePj.flash === undefined ? {} : { flash: `${g(p.energy.perBytePj.flash)}pJ` }) },
      ...(p.energy.staticWatts === undefined || p.energy.staticWatts === 0 ? {} : { static: `${g(p.energy.staticWatts)}W` }),
      source: p.energy.source,
    },
    power: p.powerWatts === null ? null : `${g(p.powerWatts)}W`,
    estimates: p.estimates, sources: p.sources,
  };
}
