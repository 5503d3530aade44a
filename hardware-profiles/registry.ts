/**
 * Built-in profiles (hardware-profiles/data/*.json, shipped with the package), the `local`
 * profile `hwnas profile measure` fitted on this machine, and user profile files, resolved
 * by id or path; plus the `proxy` MAC-count model.
 */
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '../core/errors.js';
import { parseJsonFile, type Json } from '../core/json.js';
import { readUserText } from '../core/text-file.js';
import { unknownChoice } from '../core/suggest.js';
import type { CostModel } from './cost-model.js';
import { macProxy } from './mac-proxy.js';
import { parseProfile, ProfileError } from './parse-profile.js';
import type { Profile } from './profile.js';
import { createCostModel } from './roofline.js';

// Both src (tests) and dist/hardware-profiles resolve to the package's hardware-profiles/data.
const DATA_DIRS = ['./data/', '../../hardware-profiles/data/'].map((p) => fileURLToPath(new URL(p, import.meta.url)));
const dataDir = (): string => DATA_DIRS.find((d) => existsSync(d)) ?? DATA_DIRS[0]!;

function readProfileJson(path: string): Json {
  try {
    return parseJsonFile(readUserText(path));
  } catch (error) {
    throw new UserError(`cannot read profile ${path}: ${(error as Error).message.split('\n')[0]}`, 'a profile is a JSON file; see hardware-profiles/data/ for examples');
  }
}

/** Checks a profile's JSON; any problem is a UserError naming `source` (its file) and the key. */
export function profileFromJson(json: Json, source: string): Profile {
  try {
    return parseProfile(json, source);
  } catch (error) {
    if (error instanceof ProfileError) throw new UserError(error.message, error.hint);
    throw error;
  }
}

/** Reads and checks one profile file; any problem is a UserError naming the file and key. */
export function loadProfileFile(path: string): Profile {
  return profileFromJson(readProfileJson(path), path);
}

/** The id of this machine's measured profile. */
export const LOCAL_PROFILE = 'local';

/**
 * Where `hwnas profile measure` keeps the `local` profile: it describes this machine, so it
 * lives with the user's configuration, not in the package.
 */
export function localProfilePath(env: NodeJS.ProcessEnv = process.env): string {
  return join(env['XDG_CONFIG_HOME'] || join(homedir(), '.config'), 'hwnas', 'profiles', `${LOCAL_PROFILE}.json`);
}

/** The profiles shipped as data files (the schema beside them is not one); `local` and `proxy` are the other ids. */
export function builtinProfileIds(): string[] {
  return readdirSync(dataDir()).filter((f) => f.endsWith('.json') && !f.endsWith('.schema.json')).map((f) => f.slice(0, -5)).sort();
}

/**
 * Ids hwnas gives a meaning (proxy, the data files, this machine's `local`, a table's
 * `tabular:DEVICE`): costs are stored and queried by id, so no user profile may take one.
 */
export function isShippedProfileId(id: string): boolean {
  return id === 'proxy' || id === LOCAL_PROFILE || id.startsWith('tabular:') || builtinProfileIds().includes(id);
}

/** A --profile value that names a file rather than an id. */
export const isProfilePath = (idOrPath: string) => idOrPath.endsWith('.json') || idOrPath.includes('/');

/**
 * The JSON of a profile the user can change after a run starts (a file given by path, or the
 * `local` profile a new measure replaces), read now; null for the shipped ones.
 */
export function changeableProfileJson(idOrPath: string): Json | null {
  if (isProfilePath(idOrPath)) return readProfileJson(idOrPath);
  if (idOrPath === LOCAL_PROFILE) return readProfileJson(localProfilePath());
  return null;
}

/**
 * A built-in id or a path to a profile file. `alsoAccepted`: names the caller takes besides
 * profiles (calibrate's 'generic'), offered when one is mistyped.
 */
export function resolveProfile(idOrPath: string, alsoAccepted: readonly string[] = []): Profile {
  if (isProfilePath(idOrPath)) {
    if (!existsSync(idOrPath)) throw new UserError(`no profile file ${idOrPath}`, 'give a built-in profile id or an existing .json file');
    const profile = loadProfileFile(idOrPath);
    // Costs are stored and queried by profile id: a file under a shipped id (a copy edited in
    // place) would have its figures read back as that profile's.
    if (isShippedProfileId(profile.id)) {
      const what = profile.id === LOCAL_PROFILE ? "this machine's measured profile" : profile.id.startsWith('tabular:') ? "a table's measured column" : 'a built-in profile';
      throw new UserError(`${idOrPath} has the id '${profile.id}' of ${what}`, `give it an id of its own ("id": "${profile.id.replace(':', '-')}-mine"): costs are stored by id`);
    }
    return profile;
  }
  if (idOrPath === LOCAL_PROFILE) {
    const path = localProfilePath();
    if (!existsSync(path)) throw new UserError(`the local profile is not measured on this machine yet (no ${path})`, 'run hwnas profile measure: it times tfjs inference of sampled models here and fits it (under a minute)');
    return loadProfileFile(path);
  }
  if (idOrPath === 'proxy') throw new UserError('proxy is a MAC count, not a device profile', 'calibrate from a device profile or from generic');
  const ids = builtinProfileIds();
  if (!ids.includes(idOrPath)) {
    throw unknownChoice('profile', idOrPath, ['proxy', LOCAL_PROFILE, ...ids, ...alsoAccepted], 'a path to your own .json file (hwnas profile list shows them)');
  }
  return loadProfileFile(`${dataDir()}/${idOrPath}.json`);
}

/** The cost model for --profile: 'proxy' (a MAC count) or a device profile. */
export function costModelFor(idOrPath: string): CostModel {
  return idOrPath === 'proxy' ? macProxy : createCostModel(resolveProfile(idOrPath));
}
