/**
 * A scatter plot in terminal cells: every trial a dim dot, the Pareto front (minimum x,
 * maximum y) bright and joined left to right, an optional vertical budget line, axis
 * ticks with units. Pure: returns the lines, so the placement is tested cell by cell.
 */
export interface ScatterPoint { x: number; y: number; id: number }

export interface ScatterOptions {
  width: number;
  height: number;
  xLabel: string;
  yLabel: string;
  formatX: (x: number) => string;
  formatY: (y: number) => string;
  /** A vertical line at this x (a latency or size budget). */
  budgetX?: number;
  /** The front point to highlight. */
  cursor?: number;
  /** The front, when the caller keeps it up to date (the dashboard does, incrementally). */
  front?: ScatterPoint[];
  /** What an empty plot says (default: no complete trials yet). */
  emptyText?: string;
}

export const DOT = '·', FRONT = '●', CURSOR = '◆', LINK = '─', BUDGET = '┊';

/** Ids of the points no other point beats on both lower x and higher y, by increasing x. */
export function frontOf(points: readonly ScatterPoint[]): ScatterPoint[] {
  const sorted = [...points].sort((a, b) => a.x - b.x || b.y - a.y);
  const front: ScatterPoint[] = [];
  let bestY = -Infinity;
  for (const p of sorted) if (p.y > bestY) { front.push(p); bestY = p.y; }
  return front;
}

export function scatter(points: readonly ScatterPoint[], o: ScatterOptions): { lines: string[]; front: ScatterPoint[] } {
  // Plain loops: at 100k trials, spreads and per-point strings cost more than the plot.
  let xMin = o.budgetX ?? Infinity, xMax = o.budgetX ?? -Infinity, yMin = Infinity, yMax = -Infinity;
  for (const p of points) {
    if (p.x < xMin) xMin = p.x;
    if (p.x > xMax) xMax = p.x;
    if (p.y < yMin) yMin = p.y;
    if (p.y > yMax) yMax = p.y;
  }
  const yTick = points.length === 0 ? 1 : Math.max(o.formatY(yMin).length, o.formatY(yMax).length);
  const plotW = Math.max(10, o.width - yTick - 2), plotH = Math.max(4, o.height - 3);
  const grid = Array.from({ length: plotH }, () => new Array<string>(plotW).fill(' '));
  const front = o.front ?? frontOf(points);
  if (points.length === 0) return { lines: [`${' '.repeat(yTick)} │ ${o.emptyText ?? 'no complete trials yet'}`], front };
  const sx = xMax === xMin ? 0 : (plotW - 1) / (xMax - xMin), sy = yMax === yMin ? 0 : (plotH - 1) / (yMax - yMin);
  const col = (x: number) => Math.round((x - xMin) * sx);
  const row = (y: number) => Math.round((yMax - y) * sy);
  if (o.budgetX !== undefined) for (let r = 0; r < plotH; r++) grid[r]![col(o.budgetX)] = BUDGET;
  // Mark cells first, draw dots once per cell: at 100k trials most points share a cell.
  const occupied = new Uint8Array(plotW * plotH);
  for (let i = 0; i < points.length; i++) {
    const p = points[i]!;
    occupied[Math.round((yMax - p.y) * sy) * plotW + Math.round((p.x - xMin) * sx)] = 1;
  }
  for (let r = 0; r < plotH; r++) {
    const cells = grid[r]!;
    for (let c = 0; c < plotW; c++) if (occupied[r * plotW + c] === 1) cells[c] = DOT;
  }
  // Join consecutive front points with a step line (up to the next point's height, then across).
  for (let i = 1; i < front.length; i++) {
    const a = front[i - 1]!, b = front[i]!;
    for (let c = col(a.x) + 1; c < col(b.x); c++) if (grid[row(a.y)]![c] === ' ') grid[row(a.y)]![c] = LINK;
  }
  for (const p of front) grid[row(p.y)]![col(p.x)] = p.id === o.cursor ? CURSOR : FRONT;
  // Ticks at both ends and the middle of each axis, with units; the middle ones only where they fit.
  const midRow = plotH >> 1;
  const yMid = yMax - (yMax - yMin) * midRow / Math.max(1, plotH - 1);
  const lines = grid.map((cells, r) => {
    const label = r === 0 ? o.formatY(yMax) : r === plotH - 1 ? o.formatY(yMin) : r === midRow && plotH >= 7 ? o.formatY(yMid) : '';
    return `${label.padStart(yTick)} ${label === '' ? '│' : '┤'}${cells.join('')}`.trimEnd();
  });
  const left = o.formatX(xMin), right = o.formatX(xMax);
  const midCol = plotW >> 1, middle = o.formatX(xMin + (xMax - xMin) * midCol / Math.max(1, plotW - 1));
  const axis = [...'─'.repeat(plotW)];
  axis[0] = '┬'; axis[plotW - 1] = '┬';
  let ticks = `${left}${right.padStart(plotW - left.length)}`;
  const midStart = midCol - (middle.length >> 1);
  if (midStart > left.length + 2 && midStart + middle.length < plotW - right.length - 2) {
    axis[midCol] = '┬';
    ticks = `${left.padEnd(midStart)}${middle}${right.padStart(plotW - midStart - middle.length)}`;
  }
  lines.push(`${' '.repeat(yTick)} └${axis.join('')}`);
  lines.push(`${' '.repeat(yTick + 2)}${ticks}`);
  lines.push(`${' '.repeat(yTick + 2)}${o.xLabel} →   ↑ ${o.yLabel}`);
  return { lines, front };
}
