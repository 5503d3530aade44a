/**
 * `hwnas doctor`: can this machine train, and on what?
 */
import { UserError } from '../../core/errors.js';
// names.js, not backend.js: the registry imports every command, and backend.js pulls in
// tfjs (~0.4 s), which `hwnas --help` should not pay for.
import { parseBackendName, requestedBackend } from '../../evaluators/backend/names.js';
import { parseCommandArgs } from '../args.js';
import type { Command } from '../command.js';
import { dataDirOption } from '../data-dir-option.js';
import { renderDoctorReport } from '../doctor/render.js';
import { printUserError } from '../run-command.js';

const usage = `usage: hwnas doctor [--backend NAME] [--data DIR] [--json]

Checks that this machine can train: Node, CPU, memory, the tfjs backend hwnas would
use (and why faster ones did not load), wasm SIMD and threads, the training kernels
hwnas installs on wasm, a one-step gradient check, and which datasets are present.

options:
  --backend NAME  check exactly this backend: gpu, node, wasm or cpu (default: the
                  fastest that loads; $HWNAS_BACKEND sets the default)
  --data DIR      look for datasets only in DIR (or DIR/NAME)
  --json          print one JSON object instead of text
  -h, --help      show this help

exit status: 0 when hwnas can train here, 1 when it cannot, 2 for a usage error.

example:
  hwnas doctor --backend wasm --data ~/datasets`;

async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs('doctor', {
    args: argv,
    options: {
      backend: { type: 'string' },
      data: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  const backend = requestedBackend(values.backend);
  // A mistyped name is a usage error (exit 2), unlike a backend that fails to load.
  if (backend !== undefined) parseBackendName(backend);
  const dataDir = dataDirOption(values.data, 'doctor');

  const { collectDoctorReport } = await import('../doctor/collect.js');
  const report = await collectDoctorReport({ backend, dataDir });
  if (values.json === true) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else process.stdout.write(`${renderDoctorReport(report).join('\n')}\n`);

  if (report.ok) return 0;
  // The report says what failed; stderr gets the one-line reason and how to fix it.
  if (!report.backend.ok) printUserError(new UserError(report.backend.error, report.backend.hint));
  else printUserError(new UserError(`the ${report.backend.name} backend loaded but cannot train: `
    + `${report.training?.reason ?? 'training check failed'}`, 'run hwnas doctor --json and report the output'));
  return 1;
}

/** The `doctor` command. */
export const doctor: Command = {
  name: 'doctor',
  summary: 'check that this machine can train: node, backend, wasm kernels, datasets',
  usage,
  run,
};
