/** "1 trial", "2 trials", "0.5 epochs": a count and its noun, plural unless the count is exactly 1. */
export function counted(count: number, noun: string): string {
  return `${count.toLocaleString('en')} ${noun}${count === 1 ? '' : 's'}`;
}
