/**
 * A stand-in cost model until calibrated device profiles exist: latency and energy
 * proportional to MACs (1 GMAC/s, 1 pJ per MAC) and peak memory as the largest pair of
 * live activations. Its only claim is ordering candidates by work; it is named `proxy`
 * so no result can be mistaken for a device measurement.
 */
import { analyzeSpec } from '../spaces/analyze.js';
import type { ModelSpec } from '../spaces/model-spec.js';
import { summarizeSpec } from '../spaces/summary.js';
import type { Cost, CostModel } from './cost-model.js';

export const macProxy: CostModel = {
  profile: 'proxy',
  estimate(spec: ModelSpec): Cost {
    const analysis = analyzeSpec(spec);
    const macs = analysis.reduce((s, n) => s + n.macs, 0);
    let peak = spec.inputShape[0] * spec.inputShape[1] * spec.inputShape[2];
    for (const n of analysis) peak = Math.max(peak, n.outputElements + n.inputShapes.reduce((s, [h, w, c]) => s + h * w * c, 0));
    return {
      profile: 'proxy', latencyMs: macs / 1e6, energyMj: macs * 1e-9, peakMemoryBytes: peak * 4,
      storedBytes: summarizeSpec(spec).reduce((s, r) => s + r.bytes, 0), violations: [],
    };
  },
};
