/**
 * A stand-in cost model until calibrated device profiles exist: latency and energy
 * proportional to MACs (1 GMAC/s, 1 pJ per MAC) and peak memory over the layer schedule
 * with every layer run as written (as the device profiles count it, residuals kept live and
 * quantized activations at their width). Its only claim is ordering candidates by work; it
 * is named `proxy` so no result can be mistaken for a device measurement.
 */
import type { ModelSpec } from '../spaces/model-spec.js';
import type { Cost, CostModel } from './cost-model.js';
import { ExecutionBuffers, planExecution } from './execution.js';
import { GraphBuffers, specGraph } from './graph.js';
import { EVERYTHING_RUNS, peakActivationBytesOf } from './memory.js';

// Scratch reused across estimates, as the roofline model's: the proxy costs every proposal of a search without --profile.
const graphBuffers = new GraphBuffers(), executionBuffers = new ExecutionBuffers();

export const macProxy: CostModel = {
  profile: 'proxy',
  estimate(spec: ModelSpec): Cost {
    // One pass over the spec gives what analyzeSpec (MACs) and summarizeSpec (stored bytes) would, and the schedule.
    const graph = specGraph(spec, graphBuffers);
    let macs = 0;
    for (let i = 0; i < graph.n; i++) macs += graph.macs[i]!;
    return {
      profile: 'proxy', latencyMs: macs / 1e6, energyMj: macs * 1e-9, peakMemoryBytes: peakActivationBytesOf(graph, planExecution(graph, EVERYTHING_RUNS, executionBuffers), graph.bytes),
      storedBytes: graph.storedBytes, violations: [],
    };
  },
};
