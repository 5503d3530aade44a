/**
 * Plain-text layout helpers for terminal reports (`hwnas doctor`, summaries): check marks,
 * first lines of error messages, and aligned `key  value` rows wrapped to a width.
 */

/** `✓` for true, `✗` for false. */
export function mark(ok: boolean): string {
  return ok ? '✓' : '✗';
}

/** The first non-empty line of `text`, trimmed: a one-line reason from a multi-line error. */
export function firstLine(text: string): string {
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (trimmed !== '') return trimmed;
  }
  return '';
}

/**
 * Greedy word wrap of `text` into lines of at most `width` characters. A word longer
 * than `width` (a path, a URL) gets a line of its own rather than being cut.
 */
export function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    if (line === '') line = word;
    else if (line.length + 1 + word.length <= width) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line !== '' || lines.length === 0) lines.push(line);
  return lines;
}

/**
 * Like {@link wrapWords}, but lines after the first are indented by `hang` spaces, so a
 * wrapped entry in a list reads apart from the next entry.
 */
export function wrapHanging(text: string, width: number, hang: number): string[] {
  const [first = '', ...rest] = wrapWords(text, width);
  if (rest.length === 0) return [first];
  const tail = wrapWords(rest.join(' '), Math.max(1, width - hang)).map((line) => ' '.repeat(hang) + line);
  return [first, ...tail];
}

/** One row of {@link alignRows}: a key and a value; an array value is one entry per line. */
export type Row = readonly [key: string, value: string | readonly string[]];

/** Layout for {@link alignRows}. */
export interface AlignOptions {
  /** Spaces before each key. */
  indent?: number;
  /** Column where values start, relative to the indent; defaults to the longest key + 2. */
  keyWidth?: number;
  /** Total line width to wrap values at. */
  width?: number;
}

/**
 * Lays out rows as `key  value` with values in one column, wrapping long values onto
 * continuation lines under that column:
 * ```
 *   memory      23.4 GiB total, 22.9 GiB free
 *   datasets    mnist ✓ ...
 *               cifar10 ✗ ...
 * ```
 */
export function alignRows(rows: readonly Row[], options: AlignOptions = {}): string[] {
  const indent = ' '.repeat(options.indent ?? 0);
  const keyWidth = options.keyWidth ?? Math.max(0, ...rows.map(([key]) => key.length)) + 2;
  const width = options.width ?? 80;
  const valueWidth = Math.max(20, width - indent.length - keyWidth);
  const out: string[] = [];
  for (const [key, value] of rows) {
    const entries = typeof value === 'string' ? [value] : value;
    let keyText = key.padEnd(keyWidth);
    // A key too long for its column pushes its value to the next line.
    if (key.length >= keyWidth - 1) {
      out.push(`${indent}${key}`);
      keyText = ' '.repeat(keyWidth);
    }
    const lines = entries.flatMap((entry) => wrapHanging(entry, valueWidth, 2));
    if (lines.length === 0) lines.push('');
    lines.forEach((line, index) => {
      out.push(`${indent}${index === 0 ? keyText : ' '.repeat(keyWidth)}${line}`.trimEnd());
    });
  }
  return out;
}

/**
 * A plain-text table: columns padded to their widest cell, numbers (cells that start with
 * a digit, sign or dot) right-aligned, everything else left-aligned.
 */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const numeric = header.map((_, i) => rows.length > 0 && rows.every((r) => /^[-+.\d]/.test(r[i] ?? '') || (r[i] ?? '') === ''));
  const line = (cells: readonly string[]) => cells.map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)];
}

/** A fraction as a percentage, two decimals unless told (`0.8512` -> `85.12%`); `-` when there is none (null, NaN). */
export function formatPercent(fraction: number | null | undefined, digits = 2): string {
  return fraction === null || fraction === undefined || Number.isNaN(fraction) ? '-' : `${(100 * fraction).toFixed(digits)}%`;
}
