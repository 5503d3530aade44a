/**
 * Every `hwnas` command, in the order `hwnas --help` lists them. Adding a command is one
 * import and one entry here. Every command module loads on every run (even for
 * `hwnas --help`), so commands import tfjs and other heavy modules inside run().
 */
import type { Command } from '../command.js';
import { doctor } from './doctor.js';
import { train } from './train.js';
import { data } from './data.js';
import { search } from './search.js';
import { best } from './best.js';
import { runs } from './runs.js';
import { exportCommand } from './export.js';
import { pareto } from './pareto.js';
import { show } from './show.js';
import { profile } from './profile.js';
import { dashboard } from './dashboard.js';

export const commands: readonly Command[] = [search, dashboard, best, pareto, show, runs, exportCommand, profile, train, data, doctor];
