/**
 * Built-in profiles (hardware-profiles/data/*.json, shipped with the package) and user
 * profile files, resolved by id or path; plus the `proxy` MAC-count model.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { UserError } from '../core/errors.js';
import type { Json } from '../core/json.js';
import type { CostModel } from './cost-model.js';
import { macProxy } from './mac-proxy.js';
import { parseProfile, ProfileError } from './parse-profile.js';
import type { Profile } from './profile.js';
import { createCostModel } from './roofline.js';

// Both src (tests) and dist/hardware-profiles resolve to the package's hardware-profiles/data.
const DATA_DIRS = ['./data/', '../../hardware-profiles/data/'].map((p) => fileURLToPath(new URL(p, import.meta.url)));
const dataDir = (): string => DATA_DIRS.find((d) => existsSync(d)) ?? DATA_DIRS[0]!;

/** Reads and checks one profile file; any problem is a UserError naming the file and key. */
export function loadProfileFile(path: string): Profile {
  let json: Json;
  try {
    json = JSON.parse(readFileSync(path, 'utf8')) as Json;
  } catch (error) {
    throw new UserError(`cannot read profile ${path}: ${(error as Error).message.split('\n')[0]}`, 'a profile is a JSON file; see hardware-profiles/data/ for examples');
  }
  try {
    return parseProfile(json, path);
  } catch (error) {
    if (error instanceof ProfileError) throw new UserError(error.message, 'fix the file; every number needs its unit, e.g. "47.9 GOPS", "5.6 GB/s", "512KiB", "20us", "3.7pJ"');
    throw error;
  }
}

/** Built-in profile ids (the data files; the schema beside them is not one). */
export function builtinProfileIds(): string[] {
  return readdirSync(dataDir()).filter((f) => f.endsWith('.json') && !f.endsWith('.schema.json')).map((f) => f.slice(0, -5)).sort();
}

/** A built-in id or a path to a profile file. */
export function resolveProfile(idOrPath: string): Profile {
  if (idOrPath.endsWith('.json') || idOrPath.includes('/')) {
    if (!existsSync(idOrPath)) throw new UserError(`no profile file ${idOrPath}`, 'give a built-in profile id or an existing .json file');
    return loadProfileFile(idOrPath);
  }
  const ids = builtinProfileIds();
  if (!ids.includes(idOrPath)) {
    throw new UserError(`unknown profile '${idOrPath}': built-in profiles are proxy, ${ids.join(', ')}; or give a path to your own .json file`, 'hwnas profile list shows them');
  }
  return loadProfileFile(`${dataDir()}/${idOrPath}.json`);
}

/** The cost model for --profile: 'proxy' (a MAC count) or a device profile. */
export function costModelFor(idOrPath: string): CostModel {
  return idOrPath === 'proxy' ? macProxy : createCostModel(resolveProfile(idOrPath));
}
