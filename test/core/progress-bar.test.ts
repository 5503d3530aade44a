import { describe, expect, it } from 'vitest';
import { renderProgress } from '../../core/progress-bar.js';

describe('renderProgress', () => {
  it('draws a bar proportional to progress with percent, time and detail', () => {
    const line = renderProgress({ label: 'epoch 1/5', done: 50, total: 100, elapsedSeconds: 30, detail: 'loss 0.512' }, 80);
    expect(line).toBe(`epoch 1/5 [${'#'.repeat(19)}${'.'.repeat(19)}]  50% 0:30 eta 0:30 loss 0.512`);
    expect(line).toHaveLength(80);
  });
  it('never exceeds the terminal width and clamps overshoot', () => {
    const line = renderProgress({ label: 'x', done: 150, total: 100, detail: 'y'.repeat(200) }, 60);
    expect(line.length).toBeLessThanOrEqual(60);
    expect(line).toContain('100%');
  });
  it('handles an empty total', () => {
    expect(renderProgress({ label: 'wait', done: 0, total: 0 }, 80)).toContain('  0%');
  });
});
