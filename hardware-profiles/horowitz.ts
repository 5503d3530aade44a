/**
 * The default energy table: Horowitz, ISSCC 2014, 45 nm at 0.9 V (as transcribed in
 * ../shared/reference/hardware.md section 1.1). A profile without its own `energy` block
 * uses it; a MAC is a multiply plus an add. The table has no 16-bit integer multiply, so
 * the int16 MAC is an estimate (1.0 pJ, the figure some code bases use, plus the 0.05 pJ
 * add) and is reported as one. Per byte: a 64-bit read divided by 8, at the SRAM array
 * size closest to the device's on-chip memory, and DRAM at the low end of 1.3-2.6 nJ.
 */
import type { Precision, Profile } from './profile.js';

export const HOROWITZ_MAC_PJ: Record<Precision, number> = { fp32: 3.7 + 0.9, fp16: 1.1 + 0.4, int16: 1.0 + 0.05, int8: 0.2 + 0.03 };
export const HOROWITZ_ESTIMATED: readonly string[] = ['energy.perMac.int16'];

/** pJ per byte read from an SRAM array of about this size (8 KB, 32 KB and 1 MB rows). */
export function horowitzSramPjPerByte(sramBytes: number | null): number {
  if (sramBytes === null) return 2.5;
  // Nearest row on a log scale: the table has three sizes, nothing in between.
  const rows: Array<[number, number]> = [[8 * 1024, 1.25], [32 * 1024, 2.5], [1024 * 1024, 12.5]];
  let best = rows[0]!;
  for (const row of rows) if (Math.abs(Math.log(row[0] / sramBytes)) < Math.abs(Math.log(best[0] / sramBytes))) best = row;
  return best[1];
}

export const HOROWITZ_DRAM_PJ_PER_BYTE = 1300 / 8;

export function horowitzEnergy(sramBytes: number | null): Profile['energy'] {
  const sram = horowitzSramPjPerByte(sramBytes);
  return {
    perMacPj: { ...HOROWITZ_MAC_PJ },
    perBytePj: { sram, dram: HOROWITZ_DRAM_PJ_PER_BYTE },
    source: `horowitz2014 45nm (default): MAC = mult + add (fp32 3.7+0.9, fp16 1.1+0.4, int8 0.2+0.03 pJ; int16 1.0+0.05 is an estimate); `
      + `SRAM ${sram} pJ/B (64-bit read / 8, nearest array size), DRAM 162.5 pJ/B (1.3 nJ per 64 bit, low end)`,
  };
}
