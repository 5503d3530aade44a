/** `hwnas profile list|show ID`: the device profiles the cost models know. */
import { UserError } from '../../core/errors.js';
import { formatTable } from '../../core/format.js';
import { formatBytes } from '../../core/units.js';
import { parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';

const usage = `usage: hwnas profile list
       hwnas profile show ID|FILE [--json]

Device profiles for the latency, energy and memory cost models (--profile in search and
best). Built-in ones live in hardware-profiles/data/; a profile file of your own uses the
same format (every number with its unit) and is passed by path. Values marked * are
estimates, not sourced facts.

example:
  hwnas profile show raspberry-pi-4`;

const rate = (opsPerSec: number | undefined) => (opsPerSec === undefined ? '-' : opsPerSec >= 1e12 ? `${(opsPerSec / 1e12).toPrecision(3)} TOPS` : opsPerSec >= 1e9 ? `${(opsPerSec / 1e9).toPrecision(3)} GOPS` : `${(opsPerSec / 1e6).toPrecision(3)} MOPS`);

async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('profile', { args: argv, allowPositionals: true, options: { json: { type: 'boolean', default: false } } });
  const [action, target, ...rest] = positionals;
  const { builtinProfileIds, resolveProfile } = await import('../../hardware-profiles/registry.js');
  if (action === 'list' && target === undefined) {
    const rows = builtinProfileIds().map((id) => {
      const p = resolveProfile(id);
      return [id, p.class, p.native.precisions.join('/'), rate(Math.max(...Object.values(p.peakOpsPerSec))), p.memory.sramBytes === null ? '-' : formatBytes(p.memory.sramBytes), p.name];
    });
    for (const line of formatTable(['id', 'class', 'native', 'peak', 'SRAM', 'device'], [['proxy', '-', '-', '-', '-', 'MAC count (1 GMAC/s, 1 pJ/MAC): orders candidates by work, no device'], ...rows])) process.stdout.write(`${line}\n`);
    return 0;
  }
  if (action === 'show' && target !== undefined && rest.length === 0) {
    const p = resolveProfile(target);
    if (values.json) { process.stdout.write(`${JSON.stringify(p)}\n`); return 0; }
    const est = (path: string) => (p.estimates.some((e) => path === e || path.startsWith(`${e}.`)) ? '*' : '');
    const lines = [
      `${p.id}: ${p.name}`, `  runtime      ${p.runtime} (${p.class})`,
      `  peak         ${Object.entries(p.peakOpsPerSec).map(([k, v]) => `${k} ${rate(v)}${est(`peak.${k}`)}`).join(', ')}`,
      `  native       ${p.native.precisions.join(', ')}; unstructured sparsity ${p.native.unstructuredSparsity ? `from ${p.native.minSparsity * 100}%` : 'not used'}${p.native.requiresQuantization ? '; quantized models only' : ''}`,
      `  memory       bandwidth ${p.memory.bandwidthBytesPerSec === null ? '-' : `${(p.memory.bandwidthBytesPerSec / 1e9).toPrecision(3)} GB/s`}, SRAM ${p.memory.sramBytes === null ? '-' : formatBytes(p.memory.sramBytes)}${est('memory.sram')}, `
        + `flash ${p.memory.flashBytes === null ? '-' : formatBytes(p.memory.flashBytes)}, DRAM ${p.memory.dramBytes === null ? '-' : formatBytes(p.memory.dramBytes)} (${p.memory.limits} limits)`,
      `  overhead     ${(p.overheadSec * 1e6).toPrecision(3)} us per layer${est('overhead')}`,
      `  efficiency   ${Object.entries(p.efficiency).map(([k, v]) => `${k} ${v}`).join(', ')}${est('efficiency')}`,
      `  energy       per MAC ${Object.entries(p.energy.perMacPj).map(([k, v]) => `${k} ${v} pJ${est(`energy.perMac.${k}`)}`).join(', ')}; per byte SRAM ${p.energy.perBytePj.sram} pJ, DRAM ${p.energy.perBytePj.dram} pJ`,
      `               (${p.energy.source})`,
      `  power        ${p.powerWatts === null ? '-' : `${p.powerWatts} W`}`,
      '  sources', ...p.sources.map((s) => `    ${s}`),
    ];
    for (const line of lines) process.stdout.write(`${line}\n`);
    return 0;
  }
  throw new UserError(`unknown profile command '${positionals.join(' ')}'`, 'use hwnas profile list, or hwnas profile show ID');
}

export const profile: Command = { name: 'profile', summary: 'device profiles for the latency, energy and memory cost models', usage, run };
