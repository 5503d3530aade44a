/**
 * A starting profile for a device none of the data files describes (a user's board,
 * HW-NAS-Bench's FPGA, this machine's tfjs backend): every figure is a placeholder that
 * calibration replaces, so all are listed as estimates. The peak only sets the scale the
 * fitted efficiencies are shares of.
 */
import type { Json } from '../core/json.js';
import { parseProfile } from './parse-profile.js';
import type { Profile } from './profile.js';

export interface GenericProfileOptions {
  id: string;
  name: string;
  runtime: string;
  class?: Profile['class'];
  /**
   * What the caller knows of the runtime, in the data-file spelling of `native` (graph rules,
   * activation kernels): these are then facts, not estimates. Absent: placeholders that
   * calibration may replace (it tries the other graph rules too).
   */
  native?: { [key: string]: Json };
  sources?: string[];
}

export function genericProfile(o: GenericProfileOptions): Profile {
  return parseProfile({
    id: o.id, name: o.name, runtime: o.runtime, class: o.class ?? 'host', peak: { fp32: '100 GOPS' },
    native: { precisions: ['fp32'], folding: 'full', fusion: 'always', ...o.native },
    memory: { bandwidth: null, limits: 'soft' }, overhead: '10us',
    efficiency: { conv2d: 0.5, pointwise: 0.5, depthwise: 0.5, dense: 0.5, other: 0.5 },
    power: null, estimates: ['peak', 'overhead', 'efficiency', ...(o.native === undefined ? ['native'] : [])],
    sources: o.sources ?? ['generic starting point: placeholder figures to be replaced by calibration'],
  }, o.id);
}
