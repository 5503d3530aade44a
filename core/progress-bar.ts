/**
 * A one-line terminal progress bar. `renderProgress` is pure (tested); `ProgressLine`
 * redraws it in place on a TTY and prints nothing in between on a pipe or in CI, where
 * carriage returns would only clutter logs.
 */
export interface ProgressState {
  label: string;
  done: number;
  total: number;
  /** Free text after the bar, e.g. "loss 0.31  1650 img/s". */
  detail?: string;
  elapsedSeconds?: number;
}

function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${String(r).padStart(2, '0')}` : `${m}:${String(r).padStart(2, '0')}`;
}

export function renderProgress(state: ProgressState, width = 80): string {
  const fraction = state.total > 0 ? Math.min(1, Math.max(0, state.done / state.total)) : 0;
  const percent = `${Math.floor(fraction * 100)}%`.padStart(4);
  let timing = '';
  if (state.elapsedSeconds !== undefined) {
    const eta = fraction > 0 ? state.elapsedSeconds * (1 - fraction) / fraction : Number.NaN;
    timing = ` ${clock(state.elapsedSeconds)}${Number.isFinite(eta) && fraction < 1 ? ` eta ${clock(eta)}` : ''}`;
  }
  const detail = state.detail ? ` ${state.detail}` : '';
  const fixed = state.label.length + 1 + 2 + 1 + percent.length + timing.length + detail.length;
  const barWidth = Math.max(10, Math.min(40, width - fixed));
  const filled = Math.round(fraction * barWidth);
  const line = `${state.label} [${'#'.repeat(filled)}${'.'.repeat(barWidth - filled)}] ${percent}${timing}${detail}`;
  return line.length > width ? line.slice(0, width) : line;
}

export class ProgressLine {
  private lastDraw = 0;
  private drawn = false;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {}

  get interactive(): boolean {
    return this.stream.isTTY === true && process.env.CI === undefined;
  }

  /** Redraws at most ~10 times a second; `force` draws now (use it for the final state). */
  update(state: ProgressState, force = false): void {
    if (!this.interactive) return;
    const now = Date.now();
    if (!force && now - this.lastDraw < 100) return;
    this.lastDraw = now;
    this.stream.write(`\r\x1b[2K${renderProgress(state, this.stream.columns ?? 80)}`);
    this.drawn = true;
  }

  /**
   * Erases the bar, so the line printed next (an epoch's or a trial's result, the summary)
   * takes its place: a bar left behind as its own line piled up in the scrollback, one per
   * trial, and quitting the dashboard left one under it.
   */
  finish(): void {
    if (this.drawn) this.stream.write('\r\x1b[2K');
    this.drawn = false;
  }
}
