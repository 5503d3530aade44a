/** The built-in spaces by name. */
import { unknownChoice } from '../core/suggest.js';
import type { BuiltinSpace } from './builtin.js';
import { mlp } from './mlp.js';
import { mobileCnn } from './mobile-cnn.js';
import { nb201 } from './nb201.js';
import { tinyCnn } from './tiny-cnn.js';

export const BUILTIN_SPACES: Readonly<Record<string, BuiltinSpace>> = {
  'mobile-cnn': mobileCnn,
  'tiny-cnn': tinyCnn,
  mlp,
  nb201,
};

export function getBuiltinSpace(name: string): BuiltinSpace {
  const space = BUILTIN_SPACES[name];
  if (space === undefined) throw unknownChoice('space', name, Object.keys(BUILTIN_SPACES), 'a space file ending in .json');
  return space;
}
