/** Trial detail: genotype, costs per profile, per-layer table with latency shares, learning curve. */
import { Box, Text } from 'ink';
import { formatPercent as pct, wrapWords } from '../../core/format.js';
import { counted } from '../../core/plural.js';
import { formatBytes, formatEnergy } from '../../core/units.js';
import type { TrialDetail } from '../detail.js';
import { bar, sparkline } from '../sparkline.js';

const cells = (values: string[], widths: number[]) => values.map((v, i) => (i === 0 ? v.slice(0, widths[i]).padEnd(widths[i]!) : v.padStart(widths[i]!))).join(' ');

/** key=value genes joined and cut into lines of `width`, at most `lines` of them. */
function geneLines(genotype: Record<string, unknown>, width: number, lines: number): string[] {
  const genes = Object.entries(genotype).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  const out: string[] = [];
  let line = '';
  for (const g of genes) {
    if (line.length > 0 && line.length + 2 + g.length > width) { out.push(line); line = ''; }
    line = line.length === 0 ? g : `${line}  ${g}`;
  }
  if (line.length > 0) out.push(line);
  return out.length > lines ? [...out.slice(0, lines - 1), `${out[lines - 1]!.slice(0, width - 12)} … (+${out.length - lines + 1} lines)`] : out;
}

/** At most `count` lines, the last ending in '…' when some were left out. */
function clipLines(lines: string[], count: number, width: number): string[] {
  return lines.length <= count ? lines : [...lines.slice(0, count - 1), `${lines[count - 1]!.slice(0, width - 1)}…`];
}

export function TrialDetailView({ detail, profile, width, height }: { detail: TrialDetail | null; profile: string; width: number; height: number }) {
  if (detail === null) return <Text>no such trial</Text>;
  const { trial, costs, epochs, layers } = detail;
  const predictedSize = (trial.metrics as { predictedSizeBytes?: number } | null)?.predictedSizeBytes;
  const seconds = trial.startedAt !== null && trial.finishedAt !== null ? `, ${(trial.finishedAt - trial.startedAt).toFixed(1)} s` : '';
  const genes = geneLines(trial.genotype as Record<string, unknown>, width - 2, 3);
  // Why it failed, in up to three lines: cut to one, the reason's end (what to do) was lost.
  const errorLines = trial.error === null ? [] : clipLines(wrapWords(trial.error, width - 1).map((l) => l.slice(0, width - 1)), 3, width - 1);
  const curve = epochs.map((e) => e.valAccuracy ?? Number.NaN);
  const best = Math.max(...curve.filter(Number.isFinite));
  const costWidths = [20, 11, 11, 11, 5];
  // 79 columns: the view works in an 80x24 terminal.
  const layerWidths = [12, 9, 9, 10, 8, 4, 9, 11];
  // Header, summary, genes, costs and curve take the rest; the layer table gets what is left.
  const fixed = 3 + errorLines.length + genes.length + 1 + costs.length + 2 + 2;
  const room = Math.max(1, height - fixed);
  const shownLayers = layers.length > room ? layers.slice(0, room - 1) : layers;
  return (
    <Box flexDirection="column">
      <Text bold>trial {trial.number}  <Text color={trial.status === 'complete' ? 'green' : trial.status === 'failed' ? 'red' : 'yellow'}>{trial.status}</Text>
        <Text dimColor>  seed {trial.seed}, worker {trial.worker ?? '-'}{seconds}</Text></Text>
      {errorLines.map((line, i) => <Text key={`e${i}`} color="red">{line}</Text>)}
      {trial.status === 'rejected'
        // Costed, never trained: what it would have stored is all there is (as hwnas show says).
        ? <Text>rejected before training{predictedSize !== undefined ? `: predicted ${formatBytes(predictedSize)} stored` : ''}</Text>
        : <Text>test {pct(trial.accuracy)} (validation {pct(trial.valAccuracy)})  stored {trial.sizeBytes === null ? '-' : formatBytes(trial.sizeBytes)}  {(trial.params ?? 0).toLocaleString('en')} params  {(trial.macs ?? 0).toLocaleString('en')} MACs</Text>}
      {genes.map((line, i) => <Text key={`g${i}`} dimColor>{line}</Text>)}
      <Text bold>{cells(['profile', 'latency', 'energy', 'peak mem', 'fits'], costWidths)}</Text>
      {costs.map((c) => (
        <Text key={c.profile}>{cells([c.profile, c.latencyMs === null ? '-' : `${c.latencyMs.toFixed(3)} ms`, c.energyMj === null ? '-' : formatEnergy(c.energyMj),
          c.peakMemoryBytes === null ? '-' : formatBytes(c.peakMemoryBytes), c.feasible ? 'yes' : 'no'], costWidths)}</Text>
      ))}
      <Text bold>{cells(['layer', 'kind', 'output', 'MACs', 'sparsity', 'bits', 'bytes', 'latency'], layerWidths)}</Text>
      {layers.length === 0 && <Text dimColor>no layer table (the trial did not complete)</Text>}
      {shownLayers.map((l) => (
        <Text key={l.name}>{cells([l.name, l.kind, l.outputShape.join('x'), l.macs.toLocaleString('en'), pct(l.sparsity, 0), String(l.bits), formatBytes(l.bytes),
          l.latencyShare === null ? '-' : `${bar(l.latencyShare, 6)} ${pct(l.latencyShare, 0).padStart(4)}`], layerWidths)}</Text>
      ))}
      {shownLayers.length < layers.length && <Text dimColor>… {layers.length - shownLayers.length} more layers (hwnas show {trial.number} prints them all)</Text>}
      {detail.otherLatencyShare !== null && layers.length > 0 && <Text dimColor>latency: share predicted on {profile}; layers without weights take {pct(detail.otherLatencyShare, 0)}</Text>}
      <Text>{epochs.length === 0 ? 'no learning curve' : `val. accuracy by epoch, before compression ${sparkline(curve, Math.max(10, width - 60))}  best ${pct(Number.isFinite(best) ? best : null)} in ${counted(epochs.length, 'epoch')}`}</Text>
    </Box>
  );
}
