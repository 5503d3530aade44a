import { describe, expect, it } from 'vitest';
import { ProgressLine, renderProgress } from '../../core/progress-bar.js';

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

describe('ProgressLine', () => {
  const tty = () => {
    const written: string[] = [];
    const stream = { isTTY: true, columns: 60, write: (s: string) => { written.push(s); return true; } } as unknown as NodeJS.WriteStream;
    return { stream, written };
  };

  it('erases its bar on finish, so the next line replaces it instead of piling up under it', () => {
    const saved = process.env.CI;
    delete process.env.CI;
    try {
      const { stream, written } = tty();
      const line = new ProgressLine(stream);
      line.update({ label: 'search', done: 1, total: 3 }, true);
      line.finish();
      expect(written).toHaveLength(2);
      expect(written[0]).toMatch(/^\r\x1b\[2Ksearch \[/);
      expect(written[1]).toBe('\r\x1b[2K');
      expect(written.join('')).not.toContain('\n');
      // Nothing drawn since: nothing to erase.
      line.finish();
      expect(written).toHaveLength(2);
    } finally {
      if (saved !== undefined) process.env.CI = saved;
    }
  });

  it('draws nothing on a pipe or in CI', () => {
    const { stream, written } = tty();
    const saved = process.env.CI;
    process.env.CI = 'true';
    try {
      new ProgressLine(stream).update({ label: 'x', done: 1, total: 2 }, true);
      (stream as { isTTY: boolean }).isTTY = false;
      delete process.env.CI;
      new ProgressLine(stream).update({ label: 'x', done: 1, total: 2 }, true);
    } finally {
      if (saved !== undefined) process.env.CI = saved; else delete process.env.CI;
    }
    expect(written).toEqual([]);
  });
});
