/** A series as one line of eighth-block characters, scaled between its minimum and maximum. */
const BLOCKS = '▁▂▃▄▅▆▇█';

export function sparkline(values: readonly number[], width = values.length): string {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return '';
  // Wider than the space: keep the last `width` values (the latest epochs matter most).
  const shown = values.slice(Math.max(0, values.length - width));
  const min = Math.min(...finite), max = Math.max(...finite);
  return shown.map((v) => (!Number.isFinite(v) ? ' ' : BLOCKS[max === min ? BLOCKS.length - 1 : Math.round((v - min) / (max - min) * (BLOCKS.length - 1))])).join('');
}

/** A progress bar of `width` cells for a share in [0, 1]. */
export function bar(share: number, width: number): string {
  const filled = Math.round(Math.max(0, Math.min(1, share)) * width);
  return `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
}
