import { describe, expect, it } from 'vitest';
import type { Cost } from '../../hardware-profiles/cost-model.js';
import { budgetViolation } from '../../search/controller.js';
import { budgetBytes, overBudget } from '../../search/run-config.js';

const cost = (changes: Partial<Cost> = {}): Cost => ({ profile: 'p', latencyMs: 1, energyMj: 2, peakMemoryBytes: 100, storedBytes: 1000, violations: [], ...changes });

describe('budget checks before training', () => {
  it('passes a candidate inside every budget and measures how far one breaks them', () => {
    expect(budgetViolation(cost(), { maxLatencyMs: 1, maxEnergyMj: 2, maxSizeBytes: 1000 })).toEqual({ violation: 0, reasons: [] });
    const over = budgetViolation(cost({ latencyMs: 3 }), { maxLatencyMs: 2 });
    expect(over.violation).toBeCloseTo(0.5, 12);
    expect(over.reasons).toEqual(['predicted latency 3.000 ms > budget 2 ms']);
    // Bytes as sizes are printed elsewhere, and the budget in the units it was given in (20KB), not 3.395e+4 B.
    expect(budgetViolation(cost({ storedBytes: 33_950, peakMemoryBytes: 70_000 }), { maxSizeBytes: 20_000, maxPeakMemoryBytes: 65_536 }).reasons)
      .toEqual(['predicted size 33.2 KiB > budget 20 kB', 'predicted peak memory 68.4 KiB > budget 64 KiB']);
    // Where the rounded figures agree they do not read as equal: the exact ones follow.
    expect(budgetViolation(cost({ storedBytes: 6144 }), { maxSizeBytes: 6000 }).reasons).toEqual(['predicted size 6 KiB (6,144 B) > budget 6 kB (6,000 B)']);
  });

  it('shows a byte budget exactly, in the unit it was likely given in', () => {
    expect(budgetBytes(64_000)).toBe('64 kB');
    expect(budgetBytes(65_536)).toBe('64 KiB');
    expect(budgetBytes(1100)).toBe('1.1 kB');
    expect(budgetBytes(1536)).toBe('1.5 KiB');
    expect(budgetBytes(512)).toBe('512 B');
    // Neither 30.5 kB nor 29.8 KiB is 30,494 B.
    expect(budgetBytes(30_494)).toBe('30,494 B');
    // A budget given as an exact count is compared with the exact value.
    expect(overBudget('size', 30_495, 30_494)).toBe('size 30,495 B > budget 30,494 B');
    expect(overBudget('size', 33_950, 20_000)).toBe('size 33.2 KiB > budget 20 kB');
  });

  it('rejects a candidate whose cost the model cannot give (a table without energy), not passes it', () => {
    const { violation, reasons } = budgetViolation(cost({ energyMj: Number.NaN }), { maxEnergyMj: 5 });
    expect(violation).toBeGreaterThan(0);
    expect(reasons).toEqual(['no predicted energy to check against the budget 5 mJ']);
    expect(budgetViolation(cost({ energyMj: Number.NaN }), { maxLatencyMs: 5 }).violation).toBe(0);
  });
});
