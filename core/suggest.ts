/**
 * "did you mean" for mistyped names: commands, options and the values that name a space,
 * profile, strategy, optimizer or schedule.
 */
import { UserError } from './errors.js';

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** The closest candidate within two edits of `typed`, if any. */
export function closestName(typed: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of candidates) {
    const distance = editDistance(typed.toLowerCase(), candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/**
 * The error for a name that is not one of `choices`: the nearest one when the typo is small
 * (case included: `Raspberry-Pi-4`), else the list. `others` are accepted forms that are
 * not names (e.g. "a path to your own .json file").
 */
export function unknownChoice(what: string, typed: string, choices: readonly string[], others?: string): UserError {
  const guess = closestName(typed, choices);
  const list = `use one of ${choices.join(', ')}${others === undefined ? '' : `, or ${others}`}`;
  return new UserError(`unknown ${what} '${typed}'${guess === undefined ? '' : `; did you mean '${guess}'?`}`, list);
}
