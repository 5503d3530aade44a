/**
 * A generated table in nb201.json's format covering all 15,625 NB201 cells, so the tabular
 * evaluator, table-backed profiles and strategy benchmarks are tested without ../shared.
 * Accuracy grows with the convolutions on the cell's edges and latency with their cost, as
 * in the real table; every 7th cell has no edgegpu measurement (null), as 20% there do not.
 */
import { writeFileSync } from 'node:fs';
import { NB201_OPS } from '../../spaces/nb201.js';

const WORK: Record<string, number> = { none: 0, skip_connect: 0.1, avg_pool_3x3: 0.3, nor_conv_1x1: 1, nor_conv_3x3: 3 };
const GAIN: Record<string, number> = { none: 0, skip_connect: 2, avg_pool_3x3: 1, nor_conv_1x1: 3, nor_conv_3x3: 5 };

export interface FixtureRow { arch: string; acc: { cifar10: Record<string, number | null> }; hw: { cifar10: Record<string, number | null> } }

export function nb201FixtureRows(): FixtureRow[] {
  const rows: FixtureRow[] = [];
  for (let i = 0; i < NB201_OPS.length ** 6; i++) {
    const ops = Array.from({ length: 6 }, (_, e) => NB201_OPS[Math.floor(i / NB201_OPS.length ** e) % NB201_OPS.length]!);
    const arch = `|${ops[0]}~0|+|${ops[1]}~0|${ops[2]}~1|+|${ops[3]}~0|${ops[4]}~1|${ops[5]}~2|`;
    const work = ops.reduce((s, o) => s + WORK[o]!, 0), gain = ops.reduce((s, o) => s + GAIN[o]!, 0);
    // A deterministic wobble so cells of equal work differ, as real ones do.
    const wobble = ((i * 2654435761) % 1000) / 1000;
    const test200 = 60 + gain + 2 * wobble;
    rows.push({
      arch,
      acc: { cifar10: { test200, valid200: test200 - 3, test12: test200 - 20 + 3 * wobble, valid12: test200 - 22 + 3 * wobble } },
      hw: { cifar10: { raspi4_latency: 5 + 4 * work + wobble, edgegpu_latency: i % 7 === 0 ? null : 2 + work * 0.5, edgegpu_energy: i % 7 === 0 ? null : 10 + work } },
    });
  }
  return rows;
}

export function writeNb201Fixture(path: string): FixtureRow[] {
  const rows = nb201FixtureRows();
  writeFileSync(path, JSON.stringify({ meta: { note: 'generated test fixture' }, archs: rows }));
  return rows;
}
